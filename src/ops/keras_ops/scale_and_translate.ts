/**
 * Keras 3's `ops.image.scaleAndTranslate(images, outputShape, scale, translation, spatialDims,
 * method, antialias = true)` (JAX's jax.image.scale_and_translate): along each axis d of
 * `spatialDims`, output sample i reads the input at (i + 0.5 - translation) / scale - 0.5 through
 * a separable kernel ('linear' / 'bilinear' / 'trilinear' / 'triangle', 'cubic' (Keys, a = -0.5) /
 * 'bicubic' / 'tricubic', 'lanczos3', 'lanczos5'), widened by 1 / scale when downscaling with
 * `antialias`, weights normalized per output sample and zero for samples outside the input.
 * One weight matrix per axis (computed in JavaScript) applied with matMul: images get a gradient.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { normAxis, run, toTensor, type TensorInput } from './tensor_input';

export type ScaleMethod = 'linear' | 'bilinear' | 'trilinear' | 'triangle' | 'cubic' | 'bicubic' | 'tricubic' | 'lanczos3' | 'lanczos5';

const lanczos = (radius: number) => (x: number): number => {
  if (x > radius) return 0;
  if (x <= 1e-3) return 1;
  return (radius * Math.sin(Math.PI * x) * Math.sin((Math.PI * x) / radius)) / (Math.PI ** 2 * x * x);
};
const KERNELS: Record<string, (x: number) => number> = {
  linear: (x) => Math.max(0, 1 - Math.abs(x)),
  cubic: (x) => (x >= 2 ? 0 : x >= 1 ? ((-0.5 * x + 2.5) * x - 4) * x + 2 : ((1.5 * x - 2.5) * x) * x + 1),
  lanczos3: lanczos(3),
  lanczos5: lanczos(5),
};
const ALIAS: Record<ScaleMethod, string> = { linear: 'linear', bilinear: 'linear', trilinear: 'linear', triangle: 'linear', cubic: 'cubic', bicubic: 'cubic', tricubic: 'cubic', lanczos3: 'lanczos3', lanczos5: 'lanczos5' };

/** [input, output] weights of one axis. */
function weightMatrix(input: number, output: number, scale: number, translation: number, kernel: (x: number) => number, antialias: boolean): Float32Array {
  const inv = 1 / scale;
  const kernelScale = antialias ? Math.max(inv, 1) : 1;
  const w = new Float32Array(input * output);
  for (let o = 0; o < output; o++) {
    const f = (o + 0.5) * inv - translation * inv - 0.5;
    if (f < -0.5 || f > input - 0.5) continue;
    const column = Array.from({ length: input }, (_, i) => kernel(Math.abs(f - i) / kernelScale));
    const total = column.reduce((a, b) => a + b, 0);
    if (!(Math.abs(total) > 1000 * 1.1920928955078125e-7)) continue;
    column.forEach((v, i) => { w[i * output + o] = v / total; });
  }
  return w;
}

export function scaleAndTranslate(images: TensorInput, outputShape: number[], scale: number[], translation: number[], spatialDims: number[], method: ScaleMethod, antialias = true): tfc.Tensor {
  const name = ALIAS[method];
  if (name === undefined) throw new ValueError(`ops.image.scaleAndTranslate: method '${String(method)}' is not one of ${Object.keys(ALIAS).join(', ')}. help: pass e.g. 'linear'.`);
  if (scale.length !== spatialDims.length || translation.length !== spatialDims.length) throw new ValueError(`ops.image.scaleAndTranslate: ${spatialDims.length} spatialDims but ${scale.length} scales and ${translation.length} translations. help: give one scale and one translation per spatial axis.`);
  return run(() => {
    let x = toTensor(images, 'float32');
    if (outputShape.length !== x.rank) throw new ValueError(`ops.image.scaleAndTranslate: outputShape [${outputShape}] has ${outputShape.length} axes for images of rank ${x.rank}. help: give the full output shape.`);
    spatialDims.forEach((dim, i) => {
      const d = normAxis('image.scaleAndTranslate', dim, x.rank);
      const [m, n] = [x.shape[d], outputShape[d]];
      const w = tfc.tensor2d(weightMatrix(m, n, scale[i], translation[i], KERNELS[name], antialias), [m, n]);
      const perm = [...x.shape.keys()].filter((a) => a !== d).concat(d);
      const moved = tfc.transpose(x, perm);
      const out = tfc.reshape(tfc.matMul(tfc.reshape(moved, [-1, m]), w), [...moved.shape.slice(0, -1), n]);
      x = tfc.transpose(out, perm.map((_, a) => perm.indexOf(a)));
    });
    return x;
  });
}
