/**
 * ResizeBilinear and ResizeNearestNeighbor (Resizing, UpSampling2D 'bilinear', the image ops) and
 * their gradients in the addon (native/cpu/resize.cc). Here: each output row's and column's two
 * input taps and the weight of the second, as tfjs-backend-cpu's forward kernels compute them
 * (alignCorners, halfPixelCenters); the addon interpolates, and the gradient scatters through the
 * same taps, so it is the forward's exact adjoint with halfPixelCenters too (tfjs's CPU gradient
 * kernels ignore that flag).
 */
import { input, NativeArgs, NativeImpl } from './types';

/** [lo, hi, frac] per output index, flattened, for an axis of `inSize` resized to `outSize`. */
function taps(inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean, nearest: boolean): Float64Array {
  const corners = alignCorners && outSize > 1;
  const ratio = (corners ? inSize - 1 : inSize) / (corners ? outSize - 1 : outSize);
  const t = new Float64Array(3 * outSize);
  for (let i = 0; i < outSize; i++) {
    if (nearest) {
      const frac = halfPixel ? ratio * (i + 0.5) : ratio * i;
      let at = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
      if (halfPixel) at = Math.max(0, at);
      t.set([at, at, 0], 3 * i);
    } else {
      const frac = halfPixel ? ratio * (i + 0.5) - 0.5 : ratio * i;
      const lo = Math.max(0, Math.floor(frac));
      t.set([lo, Math.min(inSize - 1, Math.ceil(frac)), frac - lo], 3 * i);
    }
  }
  return t;
}

function resize(args: NativeArgs, nearest: boolean, grad: boolean): ReturnType<NativeImpl> {
  const b = args.backend;
  const images = input(args, 'images');
  if (images.dtype !== 'float32' || images.shape.length !== 4) return null;
  const [n, h, w, c] = images.shape;
  const [oh, ow] = grad ? input(args, 'dy').shape.slice(1, 3) : (args.attrs.size as number[]);
  const ac = Boolean(args.attrs.alignCorners);
  const hp = Boolean(args.attrs.halfPixelCenters);
  const rows = taps(h, oh, ac, hp, nearest);
  const cols = taps(w, ow, ac, hp, nearest);
  if (grad) {
    const [out, values] = b.output(images.shape);
    b.addon.resizeGrad(b.f32(input(args, 'dy')), values, images.shape, oh, ow, rows, cols);
    return out;
  }
  const [out, values] = b.output([n, oh, ow, c]);
  b.addon.resize(b.f32(images), values, images.shape, oh, ow, rows, cols);
  return out;
}

export const RESIZE: Record<string, NativeImpl> = {
  ResizeBilinear: (args) => resize(args, false, false),
  ResizeNearestNeighbor: (args) => resize(args, true, false),
  ResizeBilinearGrad: (args) => resize(args, false, true),
  ResizeNearestNeighborGrad: (args) => resize(args, true, true),
};
