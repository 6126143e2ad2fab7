/**
 * ContrastLimitedAdaptiveHistogramEqualization against Keras 3's algorithm transcribed in NumPy
 * (test/reference/layers5_references.py: mirrored padding to whole tiles, clipped histograms,
 * bilinear blending of the tile maps); one image and a batch; config, .keras/.h5, leaks, refusals.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { expectRoundTrip, seq } from './layers5_helpers';
import { LAYERS5_REFS } from './layers5_refs';

const L = k.layers;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

/** The reference's image: floor((seq * 0.5 + 0.5) * 200 + 5 · column). */
const image = (): tfc.Tensor =>
  tfc.tidy(() => tfc.floor(tfc.add(tfc.mul(tfc.add(tfc.mul(seq([2, 13, 10, 2], 0.3), 0.5), 0.5), 200), tfc.reshape(tfc.mul(tfc.range(0, 10), 5), [1, 1, 10, 1]))));

test.each([
  ['CLAHE grid [3, 2], clip 2, [0, 255]', { tileGridSize: [3, 2], clipLimit: 2 }, 1],
  ['CLAHE grid [2, 3], no clip, [0, 1]', { tileGridSize: [2, 3], clipLimit: 0, valueRange: [0, 1] }, 255],
] as Array<[string, k.layers.ContrastLimitedAdaptiveHistogramEqualizationArgs, number]>)('%s equals the NumPy transcription of Keras', (name, options, divide) => {
  const layer = new L.ContrastLimitedAdaptiveHistogramEqualization(options);
  const x = tfc.tidy(() => tfc.div(image(), divide));
  const y = layer.apply(x) as tfc.Tensor;
  expect(y.shape).toEqual(LAYERS5_REFS[name].shape);
  expectClose(y, LAYERS5_REFS[name].values, 2e-3 / divide);
  const one = layer.apply(tfc.tidy(() => tfc.squeeze(tfc.slice(x, [1], [1]), [0]))) as tfc.Tensor;
  expectClose(one, LAYERS5_REFS[name].values.slice(13 * 10 * 2), 2e-3 / divide);
  tfc.dispose([x, y, one]);
});

test('defaults as Keras\'s, config, .keras/.h5, leaks and refusals', async () => {
  const layer = new L.ContrastLimitedAdaptiveHistogramEqualization();
  expect(layer.getConfig()).toMatchObject({ valueRange: [0, 255], clipLimit: 4, tileGridSize: [8, 8] });
  const x = image();
  tfc.dispose(layer.apply(x));
  await expectNoLeak(() => tfc.dispose(layer.apply(x)));
  expect(layer.apply(k.Input({ shape: [13, 10, 2] })).shape).toEqual([null, 13, 10, 2]);
  await expectRoundTrip(() => new L.ContrastLimitedAdaptiveHistogramEqualization({ tileGridSize: [2, 2], clipLimit: 3 }), [13, 10, 2], x);
  expect(() => new L.ContrastLimitedAdaptiveHistogramEqualization({ tileGridSize: [0, 2] as never })).toThrow(/`tileGridSize` must be two positive integers.*help:/);
  expect(() => new L.ContrastLimitedAdaptiveHistogramEqualization({ clipLimit: -1 })).toThrow(/`clipLimit` must be a number >= 0.*help:/);
  expect(() => new L.ContrastLimitedAdaptiveHistogramEqualization({ dataFormat: 'channels_first' })).toThrow(/channels_first.*help:/);
  x.dispose();
});
