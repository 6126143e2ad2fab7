/**
 * Image files: loadImg, imgToArray, arrayToImg, saveImg and smartResize against an independent
 * reference, test/reference/image_references.py (Debian's Pillow and NumPy; .ci/run installs
 * python3-pil and python3-numpy). The test writes images with sharp (and BMP files by hand), asks
 * the script to write more with Pillow (BMP variants, an animated GIF), then compares our decoding
 * with Keras's load_img body run on Pillow: PNG, GIF, lossless WebP and BMP exactly, JPEG within a
 * mean |diff| of 1.5; PIL's resize filters exactly; smartResize with TensorFlow's half-pixel rule in NumPy.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import * as k from '../../src';
import { decodeSmallPng } from '../../src/utils/image/png_small';
import { expectNoLeak } from '../helpers';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, '..', 'reference', 'image_references.py');

interface Loaded { width: number; height: number; mode: string; data: number[] }
type Job = Record<string, unknown>;

function python(jobs: Job[]): Array<Record<string, unknown>> {
  if (!fs.existsSync(PYTHON)) throw new Error(`the image reference needs ${PYTHON}: apt-get install python3 python3-pil python3-numpy (.ci/run does)`);
  const file = path.join(dir, `jobs-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(jobs));
  return JSON.parse(execFileSync(PYTHON, [SCRIPT, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Array<Record<string, unknown>>;
}

/** Deterministic bytes: a small LCG. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** A smooth picture (gradients and waves) for JPEG, whose decoders differ most on noise. */
function smooth(w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const o = (y * w + x) * 3;
    out[o] = Math.round(127 + 100 * Math.sin(x / 5));
    out[o + 1] = Math.round((255 * y) / h);
    out[o + 2] = Math.round(127 + 100 * Math.cos((x + y) / 7));
  }
  return out;
}

/** A BMP file written by hand: the variants Pillow does not write. */
function bmp(o: { width: number; height: number; bpp: number; compression?: number; header?: number; masks?: number[]; palette?: number[][]; topDown?: boolean; pixels: (x: number, y: number) => number[] }): Uint8Array {
  const header = o.header ?? 40;
  const paletteBytes = (o.palette?.length ?? 0) * 4;
  const extraMasks = header === 40 && o.masks ? o.masks.length * 4 : 0;
  const offset = 14 + header + extraMasks + paletteBytes;
  const stride = Math.floor((o.bpp * o.width + 31) / 32) * 4;
  const buf = new Uint8Array(offset + stride * o.height);
  const v = new DataView(buf.buffer);
  buf[0] = 0x42; buf[1] = 0x4d;
  v.setUint32(2, buf.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, header, true);
  v.setInt32(18, o.width, true);
  v.setInt32(22, o.topDown ? -o.height : o.height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, o.bpp, true);
  v.setUint32(30, o.compression ?? 0, true);
  v.setUint32(34, stride * o.height, true);
  v.setUint32(46, o.palette?.length ?? 0, true);
  o.masks?.forEach((m, i) => v.setUint32(54 + 4 * i, m >>> 0, true));
  o.palette?.forEach((c, i) => { const p = 14 + header + extraMasks + 4 * i; buf[p] = c[2]; buf[p + 1] = c[1]; buf[p + 2] = c[0]; });
  for (let y = 0; y < o.height; y++) {
    const row = offset + stride * (o.topDown ? y : o.height - 1 - y);
    for (let x = 0; x < o.width; x++) {
      const px = o.pixels(x, y);
      if (o.bpp === 24) { buf[row + 3 * x] = px[2]; buf[row + 3 * x + 1] = px[1]; buf[row + 3 * x + 2] = px[0]; }
      else if (o.bpp === 32) v.setUint32(row + 4 * x, px[0] >>> 0, true);
      else if (o.bpp === 4) buf[row + (x >> 1)] |= px[0] << (x % 2 === 0 ? 4 : 0);
    }
  }
  return buf;
}

let dir: string;
const W = 17;
const H = 13;
const RGB = noise(W * H * 3, 1);
const RGBA = noise(11 * 9 * 4, 2);
const GRAY = noise(10 * 7, 3);
const PAL = [[255, 0, 0], [0, 200, 30], [10, 20, 250], [7, 7, 7], [128, 64, 32], [250, 250, 250]];

/** The files and the load options compared with Keras's load_img on Pillow. */
const LOADS: Array<{ file: string; opts: k.utils.LoadImgOptions; meanTol?: number }> = [];
const refs = new Map<string, Loaded>();
const key = (file: string, opts: object): string => `${file} ${JSON.stringify(opts)}`;

beforeAll(async () => {
  await k.setBackend('cpu');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-image-'));
  const raw = (data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4) => sharp(data, { raw: { width, height, channels } });
  await raw(RGB, W, H, 3).png().toFile(path.join(dir, 'rgb.png'));
  await raw(RGBA, 11, 9, 4).png().toFile(path.join(dir, 'rgba.png'));
  await raw(GRAY, 10, 7, 1).png().toFile(path.join(dir, 'gray.png'));
  // Small PNGs are decoded in JS (png_small.ts): grey + alpha and interlaced ones too; palette and 16-bit ones go to sharp.
  await sharp(Buffer.from(noise(9 * 6 * 2, 4)), { raw: { width: 9, height: 6, channels: 2 } }).png().toFile(path.join(dir, 'gray_alpha.png'));
  await raw(RGB, W, H, 3).png({ progressive: true }).toFile(path.join(dir, 'interlaced.png'));
  await raw(RGB, W, H, 3).png({ palette: true, colours: 16 }).toFile(path.join(dir, 'palette.png'));
  await raw(smooth(48, 32), 48, 32, 3).jpeg({ quality: 90 }).toFile(path.join(dir, 'photo.jpg'));
  await raw(RGBA, 11, 9, 4).webp({ lossless: true }).toFile(path.join(dir, 'lossless.webp'));
  await raw(RGB, W, H, 3).withIccProfile('p3').png().toFile(path.join(dir, 'p3.png')); // stored values kept, as PIL keeps them
  await raw(RGB, W, H, 3).toColourspace('rgb16').png().toFile(path.join(dir, 'rgb16.png'));
  fs.writeFileSync(path.join(dir, 'topdown24.bmp'), bmp({ width: 5, height: 3, bpp: 24, topDown: true, pixels: (x, y) => [x * 40, y * 80, 255 - x * 9] }));
  fs.writeFileSync(path.join(dir, 'pal4.bmp'), bmp({ width: 7, height: 4, bpp: 4, palette: PAL, pixels: (x, y) => [(x + y) % PAL.length] }));
  fs.writeFileSync(path.join(dir, 'bitfields32.bmp'), bmp({
    width: 6, height: 5, bpp: 32, compression: 3, header: 108, masks: [0xff0000, 0xff00, 0xff, 0xff000000],
    pixels: (x, y) => [((x * 40) << 16) | ((y * 50) << 8) | (x * y * 7) | ((255 - x * 30) << 24)],
  }));
  const write: Job[] = [
    { op: 'write', file: path.join(dir, 'rgb24.bmp'), mode: 'RGB', width: W, height: H, data: Array.from(RGB) },
    { op: 'write', file: path.join(dir, 'gray8.bmp'), mode: 'L', width: 10, height: 7, data: Array.from(GRAY) },
    { op: 'write', file: path.join(dir, 'pal8.bmp'), mode: 'P', width: 10, height: 7, data: Array.from(GRAY, (g) => g % 6), palette: PAL.flat() },
    { op: 'write', file: path.join(dir, 'bw1.bmp'), mode: '1', width: 10, height: 7, data: Array.from(GRAY) },
    { op: 'write', file: path.join(dir, 'rgba32.bmp'), mode: 'RGBA', width: 11, height: 9, data: Array.from(RGBA) },
    { op: 'write_gif', file: path.join(dir, 'anim.gif'), width: W, height: H, frames: [Array.from(RGB), Array.from(noise(W * H * 3, 9))] },
  ];
  for (const file of ['rgb.png', 'p3.png', 'rgb16.png', 'rgba.png', 'gray.png', 'gray_alpha.png', 'interlaced.png', 'palette.png', 'lossless.webp', 'anim.gif', 'rgb24.bmp', 'gray8.bmp', 'pal8.bmp', 'bw1.bmp', 'rgba32.bmp', 'topdown24.bmp', 'pal4.bmp', 'bitfields32.bmp']) {
    for (const colorMode of ['rgb', 'grayscale', 'rgba'] as const) LOADS.push({ file, opts: { colorMode } });
  }
  LOADS.push({ file: 'photo.jpg', opts: {}, meanTol: 1.5 }, { file: 'photo.jpg', opts: { colorMode: 'grayscale' }, meanTol: 1.5 });
  for (const interpolation of ['nearest', 'bilinear', 'bicubic', 'hamming', 'box', 'lanczos'] as const) {
    for (const targetSize of [[5, 7], [30, 40], [9, 13], [13, 6]] as Array<[number, number]>) LOADS.push({ file: 'rgb.png', opts: { targetSize, interpolation } });
    LOADS.push({ file: 'rgb.png', opts: { targetSize: [8, 8], interpolation, keepAspectRatio: true } });
    LOADS.push({ file: 'gray.png', opts: { colorMode: 'grayscale', targetSize: [4, 15], interpolation, keepAspectRatio: true } });
    LOADS.push({ file: 'rgba.png', opts: { colorMode: 'rgba', targetSize: [5, 6], interpolation } });
  }
  const loadJobs = LOADS.map(({ file, opts }) => ({
    op: 'load', file: path.join(dir, file), color_mode: opts.colorMode ?? 'rgb', target_size: opts.targetSize ?? null,
    interpolation: opts.interpolation ?? 'nearest', keep_aspect_ratio: opts.keepAspectRatio ?? false,
  }));
  const out = python([...write, ...loadJobs]).slice(write.length) as unknown as Loaded[];
  LOADS.forEach((l, i) => refs.set(key(l.file, l.opts), out[i]));
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadImg against Keras load_img on Pillow', () => {
  test('every file, colour mode and resize filter', async () => {
    const failures: string[] = [];
    for (const { file, opts, meanTol } of LOADS) {
      const ref = refs.get(key(file, opts))!;
      const img = await k.utils.loadImg(path.join(dir, file), opts);
      const label = `${file} ${JSON.stringify(opts)}`;
      if (img.width !== ref.width || img.height !== ref.height || img.data.length !== ref.data.length) {
        failures.push(`${label}: ${img.width}x${img.height}x${img.channels} vs ${ref.width}x${ref.height} (${ref.data.length} values)`);
        continue;
      }
      let max = 0;
      let sum = 0;
      img.data.forEach((v, i) => { const d = Math.abs(v - ref.data[i]); max = Math.max(max, d); sum += d; });
      const mean = sum / ref.data.length;
      if (meanTol !== undefined ? mean >= meanTol : max > 0) failures.push(`${label}: max |diff| ${max}, mean ${mean.toFixed(3)}`);
    }
    expect(failures).toEqual([]);
    expect(LOADS.length).toBeGreaterThan(70);
  }, 60_000);

  test('lossless WebP and PNG give back the very bytes written', async () => {
    expect(Array.from((await k.utils.loadImg(path.join(dir, 'lossless.webp'), { colorMode: 'rgba' })).data)).toEqual(Array.from(RGBA));
    expect(Array.from((await k.utils.loadImg(path.join(dir, 'rgb.png'))).data)).toEqual(Array.from(RGB));
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'rgb.png')));
    expect(Array.from((await k.utils.loadImg(bytes)).data)).toEqual(Array.from(RGB));
    await expectNoLeak(() => k.utils.loadImg(bytes, { targetSize: [5, 5], interpolation: 'bilinear' })); // no tensors
  });

  test('grayscale is PIL\'s integer 601-2 luma, by hand', async () => {
    const img = await k.utils.loadImg(path.join(dir, 'rgb.png'), { colorMode: 'grayscale' });
    const [r, g, b] = [RGB[0], RGB[1], RGB[2]];
    expect(img.channels).toBe(1);
    expect(img.data[0]).toBe(Math.floor((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536));
  });
});

test('small 8-bit PNGs are decoded in JS with sharp\'s pixels; palette, 16-bit, tRNS and large ones are left to sharp', async () => {
  const viaSharp = async (file: string): Promise<number[]> => Array.from(await sharp(file, { ignoreIcc: true }).raw().toBuffer()); // the stored values, as decode.ts asks sharp
  for (const file of ['rgb.png', 'rgba.png', 'gray.png', 'gray_alpha.png', 'interlaced.png', 'p3.png']) {
    const js = decodeSmallPng(new Uint8Array(fs.readFileSync(path.join(dir, file))), Infinity);
    expect([file, js === null ? null : Array.from(js.data)]).toEqual([file, await viaSharp(path.join(dir, file))]);
  }
  const trns = new Uint8Array(fs.readFileSync(path.join(dir, 'rgb.png')));
  const at = 33; // after the signature and IHDR: a tRNS chunk spliced in (its CRC is not checked here: the file is refused first)
  const withTrns = new Uint8Array([...trns.subarray(0, at), 0, 0, 0, 6, 0x74, 0x52, 0x4e, 0x53, 0, 1, 0, 2, 0, 3, 0, 0, 0, 0, ...trns.subarray(at)]);
  expect(decodeSmallPng(new Uint8Array(fs.readFileSync(path.join(dir, 'palette.png'))), Infinity)).toBeNull();
  expect(decodeSmallPng(new Uint8Array(fs.readFileSync(path.join(dir, 'rgb16.png'))), Infinity)).toBeNull();
  expect(decodeSmallPng(withTrns, Infinity)).toBeNull();
  expect(decodeSmallPng(new Uint8Array(fs.readFileSync(path.join(dir, 'rgb.png'))), W * H - 1)).toBeNull(); // over maxPixels: sharp refuses it
  const large = new Uint8Array(fs.readFileSync(path.join(dir, 'rgb.png')));
  new DataView(large.buffer).setUint32(16, 65); // declared 65 x 65: over 64 x 64, refused from the header
  new DataView(large.buffer).setUint32(20, 65);
  expect(decodeSmallPng(large, Infinity)).toBeNull();
});

describe('bad files', () => {
  const expectError = async (source: string | Uint8Array, pattern: RegExp, opts: k.utils.LoadImgOptions = {}) => {
    const err = await k.utils.loadImg(source, opts).then(() => null, (e: Error) => e);
    expect(err).toBeInstanceOf(k.ValueError);
    expect(err!.message).toMatch(pattern);
    expect(err!.message).toMatch(/help: /);
  };
  const cut = (file: string, keep: number): string => {
    const bytes = fs.readFileSync(path.join(dir, file));
    const out = path.join(dir, `cut-${keep}-${file}`);
    fs.writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * keep)));
    return out;
  };

  test('truncated and corrupt files name the file', async () => {
    // anim.gif is cut inside its first frame (a GIF cut in a later frame still has a whole first frame).
    for (const [file, keep] of [['rgb.png', 0.6], ['photo.jpg', 0.6], ['lossless.webp', 0.6], ['rgb24.bmp', 0.6], ['anim.gif', 0.2]] as const) {
      const truncated = cut(file, keep);
      await expectError(truncated, new RegExp(`cannot decode '${truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
    }
    const corrupt = path.join(dir, 'corrupt.png');
    const png = Buffer.from(fs.readFileSync(path.join(dir, 'rgb.png')));
    png.fill(0x55, 40, 120);
    fs.writeFileSync(corrupt, png);
    await expectError(corrupt, /cannot decode '.*corrupt\.png' as PNG/);
  });

  test('unknown formats, missing files and folders', async () => {
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'hello');
    await expectError(text, /notes\.txt' is not a JPEG, PNG, GIF, WebP, BMP or TIFF file/);
    await expectError(path.join(dir, 'missing.png'), /no such file '.*missing\.png'/);
    await expectError(dir, /is a folder/);
    await expectError(new Uint8Array(0), /the given bytes \(0 bytes\) is not a JPEG/);
    await expectError(42 as unknown as string, /expected a file path or a Uint8Array of file bytes, got number/);
  });

  test('BMP variants it does not read are refused clearly', async () => {
    const rle = bmp({ width: 4, height: 2, bpp: 24, pixels: () => [1, 2, 3] });
    new DataView(rle.buffer).setUint32(30, 1, true); // BI_RLE8
    await expectError(rle, /24-bit pixels with compression 1 are not supported/);
    const odd = bmp({ width: 4, height: 2, bpp: 32, compression: 3, masks: [0xffc00000, 0x3ff000, 0xffc], pixels: () => [0] });
    await expectError(odd, /colour mask 0xffc00000 is not an 8-bit field/);
    const core = bmp({ width: 4, height: 2, bpp: 24, pixels: () => [1, 2, 3] });
    new DataView(core.buffer).setUint32(14, 12, true);
    await expectError(core, /12-byte header/);
  });

  test('a declared size over maxPixels is refused before decoding', async () => {
    await expectError(path.join(dir, 'rgb.png'), /more pixels than the limit of 100/, { maxPixels: 100 });
    await expectError(path.join(dir, 'rgb24.bmp'), /declares 17x13 = 221 pixels, more than the limit of 100/, { maxPixels: 100 });
    // A 4-billion-pixel BMP header over 60 bytes: refused from the header alone.
    const huge = bmp({ width: 1, height: 1, bpp: 24, pixels: () => [0, 0, 0] });
    new DataView(huge.buffer).setInt32(18, 65536, true);
    new DataView(huge.buffer).setInt32(22, 65536, true);
    await expectError(huge, /more than the limit of 268402689/);
  });

  test('bad options', async () => {
    await expectError(path.join(dir, 'rgb.png'), /colorMode must be/, { colorMode: 'cmyk' as 'rgb' });
    await expectError(path.join(dir, 'rgb.png'), /unknown interpolation "cubic"/, { interpolation: 'cubic' as 'bicubic' });
    await expectError(path.join(dir, 'rgb.png'), /targetSize must be/, { targetSize: [0, 3] });
  });
});

describe('arrays', () => {
  test('imgToArray is float32 [h, w, c] of the bytes; one tensor, no leak', async () => {
    const img = await k.utils.loadImg(path.join(dir, 'rgba.png'), { colorMode: 'rgba' });
    await expectNoLeak(() => {
      const x = k.utils.imgToArray(img);
      expect(x.shape).toEqual([9, 11, 4]);
      expect(x.dtype).toBe('float32');
      expect(Array.from(x.dataSync())).toEqual(Array.from(RGBA));
      x.dispose();
    });
  });

  test('arrayToImg scales as Keras (minus min, over max, times 255, truncated)', () => {
    const x = tfc.tensor3d([[[-1], [0]], [[0.5], [3]]]);
    expect(Array.from(k.utils.arrayToImg(x).data)).toEqual([0, 63, 95, 255]); // (v + 1) / 4 * 255
    expect(Array.from(k.utils.arrayToImg(x, { scale: false }).data)).toEqual([0, 0, 0, 3]);
    expect(k.utils.arrayToImg([[[1, 2, 3]]]).mode).toBe('RGB');
    expect(() => k.utils.arrayToImg(tfc.zeros([1, 2, 2, 3]))).toThrow(/rank 3.*help:/);
    expect(() => k.utils.arrayToImg(tfc.zeros([2, 2, 5]))).toThrow(/1, 2, 3 or 4 channels/);
    x.dispose();
  });

  test('saveImg round trip, atomic, and RGBA to JPEG warns', async () => {
    const sub = path.join(dir, 'saved');
    const x = tfc.tensor3d(Float32Array.from(RGB), [H, W, 3]);
    await expectNoLeak(() => k.utils.saveImg(path.join(sub, 'a.png'), x, { scale: false }));
    expect(Array.from((await k.utils.loadImg(path.join(sub, 'a.png'))).data)).toEqual(Array.from(RGB));
    await k.utils.saveImg(path.join(sub, 'b'), x, { scale: false, fileFormat: 'webp' });
    expect((await k.utils.loadImg(path.join(sub, 'b'))).width).toBe(W);
    const ref = python([{ op: 'load', file: path.join(sub, 'a.png'), color_mode: 'rgb' }])[0] as unknown as Loaded;
    expect(ref.data).toEqual(Array.from(RGB));
    const warnings: string[] = [];
    k.utils.setLogger({ write: () => undefined, warn: (t) => void warnings.push(t) });
    const rgba = tfc.tensor3d(Float32Array.from(RGBA), [9, 11, 4]);
    await k.utils.saveImg(path.join(sub, 'c.jpg'), rgba);
    k.utils.setLogger(null);
    expect(warnings.join('')).toMatch(/JPG format does not support RGBA/);
    expect((await k.utils.loadImg(path.join(sub, 'c.jpg'), { colorMode: 'rgba' })).channels).toBe(4);
    expect(fs.readdirSync(sub).sort()).toEqual(['a.png', 'b', 'c.jpg']); // no temporary files left
    await expect(k.utils.saveImg(path.join(sub, 'd.pdf'), x)).rejects.toThrow(/cannot write .*"pdf".*help:/);
    x.dispose();
    rgba.dispose();
  });
});

test('saveImg writes BMP (L, RGB, RGBA) that Pillow and loadImg read back exactly', async () => {
  const cases: Array<[string, Uint8Array, [number, number, number]]> = [['l.bmp', GRAY, [7, 10, 1]], ['rgb.bmp', RGB, [H, W, 3]], ['rgba.bmp', RGBA, [9, 11, 4]]];
  const modes = ['grayscale', 'rgb', 'rgba'] as const;
  for (const [file, data, shape] of cases) {
    const x = tfc.tensor3d(Float32Array.from(data), shape);
    await k.utils.saveImg(path.join(dir, 'out', file), x, { scale: false });
    x.dispose();
  }
  const ref = python(cases.map(([file], i) => ({ op: 'load', file: path.join(dir, 'out', file), color_mode: modes[i] }))) as unknown as Loaded[];
  for (const [i, [file, data]] of cases.entries()) {
    expect(ref[i].data).toEqual(Array.from(data));
    expect(Array.from((await k.utils.loadImg(path.join(dir, 'out', file), { colorMode: modes[i] })).data)).toEqual(Array.from(data));
  }
});

describe('smartResize against NumPy (Keras crop, TensorFlow half-pixel resize)', () => {
  const cases: Array<{ shape: number[]; size: [number, number]; interpolation: 'bilinear' | 'nearest' }> = [
    { shape: [13, 17, 2], size: [8, 8], interpolation: 'bilinear' },
    { shape: [13, 17, 2], size: [20, 9], interpolation: 'bilinear' },
    { shape: [2, 9, 14, 3], size: [5, 7], interpolation: 'bilinear' },
    { shape: [6, 5, 1], size: [16, 11], interpolation: 'bilinear' },
    { shape: [13, 17, 2], size: [8, 8], interpolation: 'nearest' },
    { shape: [2, 9, 14, 3], size: [12, 4], interpolation: 'nearest' },
  ];
  test('values and shapes', () => {
    const inputs = cases.map((c, i) => Array.from(noise(c.shape.reduce((a, b) => a * b), 20 + i), (v) => v / 7));
    const refsOut = python(cases.map((c, i) => ({ op: 'smart_resize', data: inputs[i], shape: c.shape, size: c.size, interpolation: c.interpolation }))) as unknown as Array<{ shape: number[]; data: number[] }>;
    cases.forEach((c, i) => {
      const x = tfc.tensor(inputs[i], c.shape) as unknown as tfc.Tensor3D;
      const before = tfc.memory().numTensors;
      const y = k.utils.smartResize(x, c.size, { interpolation: c.interpolation });
      expect(tfc.memory().numTensors - before).toBe(1);
      expect(y.shape).toEqual(refsOut[i].shape);
      const got = y.dataSync();
      const worst = refsOut[i].data.reduce((m, v, j) => Math.max(m, Math.abs(v - got[j])), 0);
      expect(worst).toBeLessThan(1e-4);
      tfc.dispose([x, y]);
    });
  });

  test('bad input is refused with help', () => {
    const x = tfc.zeros([4, 4]);
    expect(() => k.utils.smartResize(x as unknown as tfc.Tensor3D, [2, 2])).toThrow(/got of shape \[4, 4\].*help:/);
    const y = tfc.zeros([4, 4, 3]) as tfc.Tensor3D;
    expect(() => k.utils.smartResize(y, [2, 0] as [number, number])).toThrow(/size must be/);
    expect(() => k.utils.smartResize(y, [2, 2], { interpolation: 'bicubic' as 'nearest' })).toThrow(/not available.*help:/);
    tfc.dispose([x, y]);
  });
});
