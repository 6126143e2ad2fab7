/**
 * The native image decoder (native/cpu/image_codec*.cc, through src/utils/image/native_codec.ts)
 * against an independent reference, test/reference/image_codec_reference.py: Debian's Pillow writes
 * JPEG and PNG variants (grey, grey + alpha, 1-bit, palettes of 8 and 4 bits, tRNS on palette, grey
 * and RGB, PNGs written by hand with each of PNG's five row filters (the libdeflate path), quality 75-95 JPEGs at 4:2:0, 4:2:2 and 4:4:4, progressive, greyscale) and reads them as
 * Keras's load_img does; NumPy resizes them with TensorFlow's half-pixel bilinear rule (after
 * smart_resize's crop or Keras's padding). Checked: decodeImage + PIL's conversion equal Pillow's
 * pixels exactly (PNG and JPEG: the same libjpeg-turbo), loadImages's float32 equal NumPy's within
 * 1e-3, and the same bits as the JavaScript path (sharp's decode, tf_resize.ts), files the decoder
 * leaves (16-bit, truncated, corrupt, GIF) answer null / 0, loadImg and the dataset go through it.
 * The build without libjpeg or libpng headers lists fewer codecs; with KERAS_REQUIRE_NATIVE=1 (CI)
 * both must be there.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import * as k from '../../src';
import { KerasImage, modeOf } from '../../src/utils/image/keras_image';
import { loadBilinear, loadBilinearBatch, type ResizeSpec } from '../../src/utils/image/load_bilinear';
import { nativeImageCodec } from '../../src/utils/image/native_codec';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, '..', 'reference', 'image_codec_reference.py');
const MODES = { grayscale: 'L', rgb: 'RGB', rgba: 'RGBA' } as const;

interface Pixels { width: number; height: number; data: number[] }
interface Resized { file: string; mode: keyof typeof MODES; size: [number, number]; crop: boolean; pad: boolean; interpolation: 'bilinear' | 'nearest'; data: number[] }
type Reference = Record<string, Record<keyof typeof MODES, Pixels>> & { resized: Resized[] };

const codec = nativeImageCodec();
const native = codec !== null && codec.imageCodecs().length === 2;
let dir: string;
let ref: Reference;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-native-image-'));
  if (native) ref = JSON.parse(execFileSync(PYTHON, [SCRIPT, dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as Reference;
}, 60_000);

afterAll(() => {
  delete process.env.KERAS_IMAGE_DECODER;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the addon has both decoders where it must (KERAS_REQUIRE_NATIVE=1, as CI sets)', () => {
  if (process.env.KERAS_REQUIRE_NATIVE === '1') expect(codec?.imageCodecs()).toEqual(['jpeg', 'png']);
  else expect(codec === null || Array.isArray(codec.imageCodecs())).toBe(true);
});

(native ? describe : describe.skip)('native decoder', () => {
  const files = (): string[] => Object.keys(ref).filter((f) => f !== 'resized');

  test('decodeImage and PIL\'s conversion give Pillow\'s pixels exactly, every file and colour mode', () => {
    const failures: string[] = [];
    for (const file of files()) {
      const raw = codec!.decodeImage(new Uint8Array(fs.readFileSync(path.join(dir, file))), 1e9);
      if (raw === null) {
        failures.push(`${file}: left to sharp`);
        continue;
      }
      for (const [colorMode, mode] of Object.entries(MODES) as [keyof typeof MODES, 'L' | 'RGB' | 'RGBA'][]) {
        const img = new KerasImage(raw.width, raw.height, modeOf(raw.channels, 'test'), raw.data);
        const got = img.mode === mode ? img : img.convert(mode);
        const want = ref[file][colorMode];
        const diff = want.data.findIndex((v, i) => v !== got.data[i]);
        if (got.width !== want.width || got.height !== want.height || got.data.length !== want.data.length || diff >= 0) {
          failures.push(`${file} ${colorMode}: ${got.width}x${got.height}x${got.channels}, first difference at ${diff}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(files().length).toBe(20);
  });

  test('loadImg reads through it: the same pixels as Pillow, with KERAS_IMAGE_DECODER=sharp too', async () => {
    for (const decoder of ['native', 'sharp']) {
      process.env.KERAS_IMAGE_DECODER = decoder;
      for (const file of ['q90.jpg', 'palette_trns.png', 'grey_alpha.png']) {
        const img = await k.utils.loadImg(path.join(dir, file), { colorMode: 'rgba' });
        expect([decoder, file, Array.from(img.data)]).toEqual([decoder, file, ref[file].rgba.data]);
      }
    }
    delete process.env.KERAS_IMAGE_DECODER;
  });

  test('loadImages resizes as NumPy\'s TensorFlow rule (bilinear and nearest, crop, pad, every colour mode) and as the JavaScript path, bit for bit', async () => {
    for (const r of ref.resized) {
      const [h, w] = r.size;
      const spec: ResizeSpec = { mode: MODES[r.mode], imageSize: [h, w], interpolation: r.interpolation, crop: r.crop, pad: r.pad };
      const n = h * w * { grayscale: 1, rgb: 3, rgba: 4 }[r.mode];
      const out = new Float32Array(n + 5).fill(-1);
      const done = codec!.loadImages(Buffer.from(`${path.join(dir, r.file)}\0`), out, [5], [n / (h * w), h, w, r.crop ? 1 : 0, r.pad ? 1 : 0, 1e9, r.interpolation === 'nearest' ? 1 : 0]);
      expect(Array.from(done)).toEqual([1]);
      expect(Array.from(out.subarray(0, 5))).toEqual([-1, -1, -1, -1, -1]);
      let max = 0;
      r.data.forEach((v, i) => (max = Math.max(max, Math.abs(v - out[5 + i]))));
      expect([r.file, r.mode, r.interpolation, max <= (r.interpolation === 'nearest' ? 0 : 1e-3)]).toEqual([r.file, r.mode, r.interpolation, true]);
      process.env.KERAS_IMAGE_DECODER = 'sharp'; // sharp's decode and tf_resize.ts's resize
      const js = new Float32Array(n);
      await loadBilinear(path.join(dir, r.file), spec, 'test', js, 0);
      delete process.env.KERAS_IMAGE_DECODER;
      expect([r.file, Buffer.from(js.buffer).equals(Buffer.from(out.buffer, 20))]).toEqual([r.file, true]);
    }
  });

  test('files it leaves answer null or 0 and go through sharp, which decodes them or names the file', async () => {
    const rgb16 = path.join(dir, 'rgb16.png');
    await sharp(Buffer.alloc(6 * 4 * 3, 77), { raw: { width: 6, height: 4, channels: 3 } }).toColourspace('rgb16').png().toFile(rgb16);
    const gif = path.join(dir, 'x.gif');
    await sharp(Buffer.alloc(6 * 4 * 3, 77), { raw: { width: 6, height: 4, channels: 3 } }).gif().toFile(gif);
    const bytes = (f: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(dir, f)));
    const cut = (f: string): Uint8Array => bytes(f).subarray(0, bytes(f).length >> 1);
    const corrupt = bytes('rgb.png').slice();
    corrupt.fill(0x55, 40, 120);
    for (const b of [bytes('rgb16.png'), bytes('x.gif'), cut('q90.jpg'), cut('rgb.png'), corrupt, new Uint8Array(0)]) expect(codec!.decodeImage(b, 1e9)).toBeNull();
    expect(codec!.decodeImage(bytes('q90.jpg'), 320 * 240 - 1)).toBeNull(); // over maxPixels: sharp's error says so
    const truncated = path.join(dir, 'truncated.jpg');
    fs.writeFileSync(truncated, cut('q90.jpg'));
    const out = new Float32Array(4 * 4 * 3 * 4);
    const paths = [rgb16, gif, truncated, path.join(dir, 'missing.png')];
    expect(Array.from(codec!.loadImages(Buffer.from(paths.map((p) => `${p}\0`).join('')), out, [0, 48, 96, 144], [3, 4, 4, 0, 0, 1e9, 0]))).toEqual([0, 0, 0, 0]);
    const spec: ResizeSpec = { mode: 'RGB', imageSize: [4, 4], interpolation: 'bilinear', crop: false, pad: false };
    await loadBilinearBatch([rgb16, gif], spec, 'test', out, [0, 48]); // left to sharp and decoded there
    expect(Array.from(out.subarray(0, 96)).every((v) => v === 77)).toBe(true);
    await expect(loadBilinearBatch([path.join(dir, 'q90.jpg'), truncated], spec, 'test', out, [0, 48])).rejects.toThrow(/^test: cannot decode '.*truncated\.jpg'[\s\S]*help:/);
    await expect(k.utils.loadImg(bytes('q90.jpg'), { maxPixels: 100 })).rejects.toThrow(/more pixels than the limit of 100/);
  });

  test('bad arguments are refused with the function\'s name', () => {
    const out = new Float32Array(12);
    expect(() => codec!.loadImages(Buffer.from('a\0'), out, [0], [2, 2, 2, 0, 0, 1e9, 0])).toThrow(/loadImages: spec\[0\] \(channels\) must be 1, 3 or 4, got 2/);
    expect(() => codec!.loadImages(Buffer.from('a\0b\0'), out, [0], [3, 2, 2, 0, 0, 1e9, 0])).toThrow(/loadImages: 2 paths for 1 offsets/);
    expect(() => codec!.loadImages(Buffer.from('a\0'), out, [1], [3, 2, 2, 0, 0, 1e9, 0])).toThrow(/loadImages: `offsets\[0\]` must be an integer in \[0, 0\]/);
  });
});
