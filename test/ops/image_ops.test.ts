/**
 * k.ops.image.resize and affineTransform, on a 4x4 ramp (value = 4 row + column), values by hand:
 * half-pixel centres put output pixel o of a 2x downscale at input 2o + 0.5 (bilinear: the mean of
 * a 2x2 block; nearest: input 2o + 1); the transform [1, 0, 1, 0, 1, 0, 0, 0] reads (x + 1, y).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const ramp = (): tfc.Tensor => tfc.reshape(tfc.range(0, 16, 1, 'float32'), [4, 4, 1]);

test('resize halves a ramp: bilinear averages 2x2 blocks, nearest takes the lower-right centre', () => {
  const img = ramp();
  const before = tfc.memory().numTensors;
  const bilinear = k.ops.image.resize(img, [2, 2]);
  const nearest = k.ops.image.resize(tfc.expandDims(img, 0), [2, 2], { interpolation: 'nearest' });
  expect(bilinear.shape).toEqual([2, 2, 1]);
  expect(nearest.shape).toEqual([1, 2, 2, 1]);
  expectClose(bilinear, [2.5, 4.5, 10.5, 12.5]);
  expectClose(nearest, [5, 7, 13, 15]);
  bilinear.dispose();
  nearest.dispose();
  expect(tfc.memory().numTensors).toBe(before + 1); // the expandDims the test made inline
  img.dispose();
});

test('resize with padToAspectRatio pads with fillValue to the target ratio first', () => {
  // A 1x3 image to 3x3 (ratio 1): a row of 9s above and below makes it 3x3, which the resize keeps.
  const out = k.ops.image.resize([[[1], [2], [3]]], [3, 3], { padToAspectRatio: true, fillValue: 9 });
  expectClose(out, [9, 9, 9, 1, 2, 3, 9, 9, 9]);
  out.dispose();
  expect(() => k.ops.image.resize([[1, 2]], [2, 2])).toThrow(/ops\.image\.resize: images must be .*help:/);
});

test('affineTransform shifts by one column, filling with fillValue or the nearest edge', () => {
  const img = ramp();
  const shift = [1, 0, 1, 0, 1, 0, 0, 0];
  const constant = k.ops.image.affineTransform(img, shift, { fillValue: -1 });
  const nearest = k.ops.image.affineTransform(img, tfc.tensor1d(shift), { fillMode: 'nearest', interpolation: 'nearest' });
  expectClose(constant, [1, 2, 3, -1, 5, 6, 7, -1, 9, 10, 11, -1, 13, 14, 15, -1]);
  expectClose(nearest, [1, 2, 3, 3, 5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15]);
  constant.dispose();
  nearest.dispose();
  img.dispose();
});
