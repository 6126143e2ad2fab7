/**
 * ContrastLimitedAdaptiveHistogramEqualization (CLAHE), as Keras 3's: the image (on [0, 255])
 * is padded by mirroring to whole tiles of a tileGridSize grid; each tile and channel gets a
 * 256-bin histogram whose counts above clipLimit · tilePixels / 256 are cut and spread evenly
 * over all bins, and its normalized cdf, 255 (cdf - cdf_min) / (tilePixels - cdf_min), maps
 * values; each pixel blends the maps of its four nearest tile centres bilinearly (edge tiles
 * repeated). Applied in training and inference alike (as Keras). Computed on the host.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { CallContext, LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { valueRangeOf } from './factors';
import { IMAGE_LAYER_KEYS, ImageLayer, ImageLayerArgs } from './image_layer';

export interface ContrastLimitedAdaptiveHistogramEqualizationArgs extends ImageLayerArgs {
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
  /** How far a histogram bin may rise above the mean before it is cut (0: no limit). Keras: `clip_limit` @default 4 */
  clipLimit?: number;
  /** Tiles along the height and the width. Keras: `tile_grid_size` @default [8, 8] */
  tileGridSize?: [number, number];
}

/** numpy's 'symmetric' padding index: i past the end mirrors back, the edge value repeated. */
function mirror(i: number, n: number): number {
  return i < n ? i : 2 * n - 1 - i;
}

export class ContrastLimitedAdaptiveHistogramEqualization extends ImageLayer {
  static override readonly optionKeys = optionKeys<ContrastLimitedAdaptiveHistogramEqualizationArgs>()(...IMAGE_LAYER_KEYS, 'valueRange', 'clipLimit', 'tileGridSize');
  readonly className = 'ContrastLimitedAdaptiveHistogramEqualization';
  readonly valueRange: [number, number];
  readonly clipLimit: number;
  readonly tileGridSize: [number, number];

  static override readonly positional = ['valueRange'];

  constructor(valueRange?: [number, number], options?: Omit<ContrastLimitedAdaptiveHistogramEqualizationArgs, 'valueRange'>);
  constructor(args?: ContrastLimitedAdaptiveHistogramEqualizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ContrastLimitedAdaptiveHistogramEqualizationArgs | undefined>(new.target, given) ?? {};
    super(args);
    const owner = `ContrastLimitedAdaptiveHistogramEqualization '${this.name}'`;
    this.valueRange = valueRangeOf(args.valueRange, owner);
    this.clipLimit = args.clipLimit ?? 4;
    if (!(typeof this.clipLimit === 'number' && this.clipLimit >= 0)) throw new ValueError(`${owner}: \`clipLimit\` must be a number >= 0, got ${String(args.clipLimit)}. help: e.g. {clipLimit: 4}.`);
    const grid = args.tileGridSize ?? [8, 8];
    if (!Array.isArray(grid) || grid.length !== 2 || !grid.every((g) => Number.isInteger(g) && g > 0)) {
      throw new ValueError(`${owner}: \`tileGridSize\` must be two positive integers [rows, columns], got ${JSON.stringify(args.tileGridSize)}. help: e.g. {tileGridSize: [8, 8]}.`);
    }
    this.tileGridSize = [grid[0], grid[1]];
  }

  /** The mapping tables [n][gh + 2][gw + 2][c][256], edge tiles repeated around the grid. */
  private tables(x: Float32Array, shape: number[], tile: [number, number]): Float32Array {
    const [n, h, w, c] = shape;
    const [gh, gw] = this.tileGridSize;
    const [th, tw] = tile;
    const pixels = th * tw;
    const out = new Float32Array(n * (gh + 2) * (gw + 2) * c * 256);
    const hist = new Float64Array(256);
    const at = (b: number, gy: number, gx: number, ch: number): number => (((b * (gh + 2) + gy) * (gw + 2) + gx) * c + ch) * 256;
    for (let b = 0; b < n; b++) {
      for (let gy = 0; gy < gh; gy++) {
        for (let gx = 0; gx < gw; gx++) {
          for (let ch = 0; ch < c; ch++) {
            hist.fill(0);
            for (let y = gy * th; y < (gy + 1) * th; y++) {
              for (let xx = gx * tw; xx < (gx + 1) * tw; xx++) {
                const v = x[((b * h + mirror(y, h)) * w + mirror(xx, w)) * c + ch];
                hist[Math.min(255, Math.max(0, Math.trunc(v)))] += 1;
              }
            }
            if (this.clipLimit > 0) {
              const limit = Math.fround((this.clipLimit * pixels) / 256);
              let excess = 0;
              for (let i = 0; i < 256; i++) {
                const cut = Math.min(hist[i], limit);
                excess += hist[i] - cut;
                hist[i] = cut;
              }
              for (let i = 0; i < 256; i++) hist[i] += excess / 256;
            }
            let cdf = 0;
            const base = at(b, gy + 1, gx + 1, ch);
            const cdfMin = hist[0];
            const denominator = pixels - cdfMin === 0 ? 1 : pixels - cdfMin;
            for (let i = 0; i < 256; i++) {
              cdf += hist[i];
              out[base + i] = Math.min(255, Math.max(0, ((cdf - cdfMin) * 255) / denominator));
            }
          }
        }
      }
      // the ring of repeated edge tiles
      for (let gy = 0; gy < gh + 2; gy++) {
        for (let gx = 0; gx < gw + 2; gx++) {
          const sy = Math.min(Math.max(gy, 1), gh);
          const sx = Math.min(Math.max(gx, 1), gw);
          if (sy === gy && sx === gx) continue;
          for (let ch = 0; ch < c; ch++) out.copyWithin(at(b, gy, gx, ch), at(b, sy, sx, ch), at(b, sy, sx, ch) + 256);
        }
      }
    }
    return out;
  }

  protected transform(images: tfc.Tensor4D, ctx: CallContext): tfc.Tensor {
    void ctx;
    const [n, h, w, c] = images.shape;
    const [lo, hi] = this.valueRange;
    const x = Float32Array.from(images.dataSync(), (v) => Math.fround(((v - lo) / (hi - lo)) * 255));
    const [gh, gw] = this.tileGridSize;
    const tile: [number, number] = [Math.ceil(h / gh), Math.ceil(w / gw)];
    const [th, tw] = tile;
    const tables = this.tables(x, [n, h, w, c], tile);
    const coord = (i: number, t: number, g: number): [number, number, number] => {
      const grid = (i - t / 2) / t + 1;
      const i0 = Math.floor(grid);
      return [Math.min(Math.max(i0, 0), g + 1), Math.min(Math.max(i0 + 1, 0), g + 1), grid - i0];
    };
    const out = new Float32Array(n * h * w * c);
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        const [y0, y1, wy] = coord(y, th, gh);
        for (let xx = 0; xx < w; xx++) {
          const [x0, x1, wx] = coord(xx, tw, gw);
          for (let ch = 0; ch < c; ch++) {
            const i = ((b * h + y) * w + xx) * c + ch;
            const v = Math.trunc(Math.min(255, Math.max(0, x[i])));
            const t = (gy: number, gx: number): number => tables[(((b * (gh + 2) + gy) * (gw + 2) + gx) * c + ch) * 256 + v];
            const top = t(y0, x0) * (1 - wx) + t(y0, x1) * wx;
            const bottom = t(y1, x0) * (1 - wx) + t(y1, x1) * wx;
            out[i] = ((top * (1 - wy) + bottom * wy) / 255) * (hi - lo) + lo;
          }
        }
      }
    }
    return tfc.tensor4d(out, [n, h, w, c]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), valueRange: this.valueRange, clipLimit: this.clipLimit, tileGridSize: this.tileGridSize };
  }
}
