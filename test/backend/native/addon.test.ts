/**
 * The native addon refuses bad input with an error that names the function, the argument, what was
 * given and what was expected: never a crash. (The process would die with the test run if it did.)
 */
import { loadNativeAddon, NativeAddon } from '../../../src/backend/native/addon';
import { nativeBuilt } from '../../helpers';

const onNative = nativeBuilt() ? describe : describe.skip;
const f32 = (n: number): Float32Array => new Float32Array(n);

onNative('native addon argument checks', () => {
  let addon: NativeAddon;
  beforeAll(() => {
    addon = loadNativeAddon();
  });

  const call = (fn: () => void): string => {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  test('wrong dtypes are named', () => {
    expect(call(() => addon.matMul(new Int32Array(6) as unknown as Float32Array, f32(6), f32(4), null, 1, 1, 2, 2, 3, false, false, 0, 0)))
      .toBe('keras-ts native matMul: `a` must be a Float32Array, got a Int32Array.');
    expect(call(() => addon.binary(0, f32(3), new Int32Array(3), f32(3), [3], [1], [1]))).toMatch(/binary: `a` and `b` must have one dtype, got Float32Array and Int32Array/);
    expect(call(() => addon.binary(8, f32(3), f32(3), f32(3), [3], [1], [1]))).toMatch(/binary: `out` must be a Uint8Array, got a Float32Array/);
    expect(call(() => addon.unary(0, new Float64Array(3) as unknown as Float32Array, f32(3), 0))).toMatch(/unary: `x` must be a Float32Array, Int32Array or Uint8Array.*got Float64Array of 3 elements/);
  });

  test('data that is not a typed array (a plain array, a string, nothing) is refused', () => {
    expect(call(() => addon.softmax([1, 2, 3] as unknown as Float32Array, f32(3), 1, 3))).toMatch(/softmax: `x` must be a Float32Array.*got a plain Array/);
    expect(call(() => addon.clip('abc' as unknown as Float32Array, f32(3), 0, 1))).toMatch(/clip: `x` must be .*got a string/);
    expect(call(() => (addon.adam as unknown as (...a: unknown[]) => void)(f32(2)))).toMatch(/adam: argument 1 \(`g`\) is missing/);
  });

  test('sizes that do not match the shapes are refused', () => {
    expect(call(() => addon.matMul(f32(5), f32(6), f32(4), null, 1, 1, 2, 2, 3, false, false, 0, 0))).toBe('keras-ts native matMul: `a` has 5 elements, expected 6 for the shapes given.');
    expect(call(() => addon.matMul(f32(6), f32(6), f32(4), f32(3), 1, 1, 2, 2, 3, false, false, 0, 0))).toMatch(/`bias` has 3 elements, expected 2/);
    expect(call(() => addon.binary(0, f32(2), f32(3), f32(3), [3], [1], [1]))).toMatch(/strides read past the end of `a` or `b`/);
    expect(call(() => addon.transpose(f32(6), f32(6), [2, 3], [0, 0]))).toMatch(/`perm` must be a permutation/);
  });

  test('sizes that overflow 32 bits are refused before anything is read', () => {
    expect(call(() => addon.matMul(f32(4), f32(4), f32(4), null, 1, 1, 70000, 70000, 70000, false, false, 0, 0)))
      .toMatch(/matMul: a has more than 2\^31-1 elements, which overflows the 32-bit sizes used here\. help: split the work/);
    expect(call(() => addon.conv2d(f32(1), f32(1), null, f32(1), [65536, 65536, 65536, 1, 1, 1, 65536, 65536, 1, 1, 1, 1, 1, 0, 0, 0, 0], 0))).toMatch(/overflows the 32-bit sizes/);
    expect(call(() => addon.reduce(0, f32(1), f32(1), 2 ** 40, 1, false))).toMatch(/`outer` must be an integer in \[0, 2147483647\]/);
  });

  test('bad numbers, codes and geometries are refused', () => {
    expect(call(() => addon.unary(99, f32(1), f32(1), 0))).toMatch(/unary: `op` must be an integer in \[0, 17\], got 99/);
    expect(call(() => addon.matMul(f32(6), f32(6), f32(4), null, 1, 1, 2.5, 2, 3, false, false, 0, 0))).toMatch(/`m` must be an integer/);
    expect(call(() => addon.setNumThreads(0))).toMatch(/setNumThreads: `n` must be an integer in \[1, 4096\], got 0/);
    expect(call(() => addon.conv2d(f32(50), f32(9), null, f32(9), [1, 5, 5, 2, 3, 3, 4, 4, 1, 1, 1, 1, 1, 0, 0, 0, 0], 0)))
      .toMatch(/conv2d: the output size 4x4 does not follow from the input, filter, strides and padding/);
    expect(call(() => addon.pool(f32(8), f32(2), [1, 2, 2, 2, 2, 2, 1, 1, 3, 2, 2, 1, 1, 0, 0, 0, 0], true))).toMatch(/pooling keeps the channels/);
    expect(call(() => addon.conv2d(f32(1), f32(1), null, f32(1), [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0], 0))).toMatch(/geometry|must be at least 1/);
    // 3-D: [n, d, h, w, c, kd, kh, kw, od, oh, ow, f, strides, dilations, pads before, pads after]
    expect(call(() => addon.conv3d(f32(54), f32(8), null, f32(8), [1, 3, 3, 3, 2, 2, 2, 2, 2, 2, 3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], 0)))
      .toMatch(/conv3d: the output size 2x2x3 does not follow from the input, filter, strides and padding/);
    expect(call(() => addon.pool3d(f32(54), f32(8), [1, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], true))).toMatch(/pooling keeps the channels/);
    expect(call(() => addon.conv3d(f32(54), f32(8), null, f32(8), [1, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 2], 0)))
      .toMatch(/groups must be 1/);
  });

  test('a detached buffer is refused', () => {
    const x = f32(4);
    structuredClone(x.buffer, { transfer: [x.buffer as ArrayBuffer] });
    expect(call(() => addon.fill(x, 1))).toBe('no error'); // a detached array has no elements: nothing to fill
    expect(call(() => addon.softmax(x, f32(4), 1, 4))).toMatch(/`x` has 0 elements, expected 4/);
  });

  test('after all that, the addon still computes', () => {
    const out = f32(4);
    addon.matMul(Float32Array.from([1, 2, 3, 4, 5, 6]), Float32Array.from([1, 0, 0, 1, 1, 1]), out, null, 1, 1, 2, 2, 3, false, false, 0, 0);
    expect(Array.from(out)).toEqual([4, 5, 10, 11]); // by hand: [1,2,3]·[[1,0],[0,1],[1,1]] = [4, 5]
    expect(addon.memory().liveBytes).toBe(0);
  });
});
