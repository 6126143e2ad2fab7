/**
 * AvgPool and AvgPool3D's gradient where the padding is not 'valid'. The forward pass (TensorFlow's
 * rule) divides each window by the number of real input cells it covers, but tfjs's AvgPoolGrad
 * kernels (backend-cpu, hence wasm's fallback, and webgl's shader) divide by the full window area,
 * so the edges of a 'same' pooling got too small a gradient (half, for a window half outside).
 * The override hands them dy scaled by area / count, which makes their sum exact. Backends with
 * their own correct kernel (native) keep tfjs-core's gradient.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { GradientOverride } from './profile';

type PoolAttrs = {
  filterSize: number | number[];
  strides: number | number[];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** Per output position along one axis: how many of the window's cells fall inside the input. */
function countsAlong(outSize: number, inSize: number, filter: number, stride: number, padBefore: number): number[] {
  return Array.from({ length: outSize }, (_, i) => {
    const start = i * stride - padBefore;
    return Math.min(start + filter, inSize) - Math.max(start, 0);
  });
}

/** [1, ...out spatial, 1]: the window area over each window's count of real cells. */
function areaOverCount(outSizes: number[], inSizes: number[], filters: number[], strides: number[], padBefore: number[]): tfc.Tensor {
  const per = outSizes.map((o, a) => countsAlong(o, inSizes[a], filters[a], strides[a], padBefore[a]));
  const area = filters.reduce((p, f) => p * f, 1);
  const values = new Float32Array(outSizes.reduce((p, o) => p * o, 1));
  values.forEach((_, flat) => {
    let rest = flat;
    let count = 1;
    for (let a = outSizes.length - 1; a >= 0; a--) {
      count *= per[a][rest % outSizes[a]];
      rest = Math.floor(rest / outSizes[a]);
    }
    values[flat] = area / count;
  });
  return tfc.tensor(values, [1, ...outSizes, 1]);
}

function override(rank: 2 | 3): GradientOverride {
  return {
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs, original) => {
      const a = attrs as unknown as PoolAttrs;
      if (a.pad === 'valid' || a.pad === 0) return original(dy, saved, attrs);
      const x = saved[0];
      let scale: tfc.Tensor;
      if (rank === 2) {
        const info = tfc.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize as [number, number], a.strides as [number, number], 1, a.pad, a.dimRoundingMode);
        scale = areaOverCount([info.outHeight, info.outWidth], [info.inHeight, info.inWidth], [info.filterHeight, info.filterWidth], [info.strideHeight, info.strideWidth], [info.padInfo.top, info.padInfo.left]);
      } else {
        const info = tfc.backend_util.computePool3DInfo(x.shape as [number, number, number, number, number], a.filterSize as [number, number, number], a.strides as [number, number, number], 1, a.pad, a.dimRoundingMode);
        scale = areaOverCount(
          [info.outDepth, info.outHeight, info.outWidth],
          [info.inDepth, info.inHeight, info.inWidth],
          [info.filterDepth, info.filterHeight, info.filterWidth],
          [info.strideDepth, info.strideHeight, info.strideWidth],
          [info.padInfo.front, info.padInfo.top, info.padInfo.left],
        );
      }
      return original(tfc.mul(dy as tfc.Tensor, scale), saved, attrs);
    },
  };
}

export const avgPoolGradientByCount: GradientOverride = override(2);
export const avgPool3dGradientByCount: GradientOverride = override(3);
