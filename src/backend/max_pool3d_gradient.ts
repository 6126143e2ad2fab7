/**
 * MaxPool3D's gradient where the window is not as high as it is wide. tfjs-backend-cpu's
 * MaxPool3DGrad (hence wasm's fallback) numbers each window's cells as row * filterHeight + col
 * when it finds the maxima but as row * filterWidth + col when it hands out dy, so with
 * filterHeight != filterWidth dy lands on the wrong cells. The override computes dx itself from x:
 * each window's dy goes to its first maximum in row-major window order, with a strict '>' from
 * -infinity (TensorFlow's rule, and tfjs's where the numbering agrees). Square windows keep
 * tfjs-core's gradient. Backends with their own kernel (native) do not take this override.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { GradientOverride } from './profile';

type Pool3DAttrs = {
  filterSize: number | [number, number, number];
  strides: number | [number, number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** dx of max pooling from x and dy, read on the host. */
function maxPool3dInputGradient(x: tfc.Tensor, dy: tfc.Tensor, info: tfc.backend_util.Conv3DInfo): tfc.Tensor {
  const xs = x.dataSync() as Float32Array;
  const g = dy.dataSync() as Float32Array;
  const [n, inD, inH, inW, c] = x.shape;
  const dx = new Float32Array(xs.length);
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  const { front, top, left } = info.padInfo;
  let gi = 0;
  for (let b = 0; b < n; b++) {
    const base = b * inD * inH * inW * c;
    for (let od = 0; od < info.outDepth; od++)
      for (let oh = 0; oh < info.outHeight; oh++)
        for (let ow = 0; ow < info.outWidth; ow++, gi += c) {
          best.fill(-Infinity);
          at.fill(-1);
          for (let i = 0; i < info.filterDepth; i++) {
            const z = od * info.strideDepth - front + i * info.dilationDepth;
            if (z < 0 || z >= inD) continue;
            for (let j = 0; j < info.filterHeight; j++) {
              const y = oh * info.strideHeight - top + j * info.dilationHeight;
              if (y < 0 || y >= inH) continue;
              for (let l = 0; l < info.filterWidth; l++) {
                const xx = ow * info.strideWidth - left + l * info.dilationWidth;
                if (xx < 0 || xx >= inW) continue;
                const pos = base + ((z * inH + y) * inW + xx) * c;
                for (let ch = 0; ch < c; ch++) {
                  if (xs[pos + ch] > best[ch]) {
                    best[ch] = xs[pos + ch];
                    at[ch] = pos + ch;
                  }
                }
              }
            }
          }
          for (let ch = 0; ch < c; ch++) if (at[ch] >= 0) dx[at[ch]] += g[gi + ch];
        }
  }
  return tfc.tensor(dx, x.shape, 'float32');
}

export const maxPool3dGradientFirstMax: GradientOverride = {
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs, original) => {
    const a = attrs as unknown as Pool3DAttrs;
    const x = saved[0];
    const info = tfc.backend_util.computePool3DInfo(x.shape as [number, number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    if (info.filterHeight === info.filterWidth) return original(dy, saved, attrs);
    return { x: () => maxPool3dInputGradient(x, dy as tfc.Tensor, info) };
  },
};
