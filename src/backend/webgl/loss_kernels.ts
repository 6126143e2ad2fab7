/**
 * keras-ts's cross-entropy kernels (engine/fused_kernels.ts: KerasCrossentropy, KerasCrossentropyGrad)
 * as WebGL programs, on keras-webgl only: the value of each row and the gradient with respect to the
 * logits, one pass each, where tfjs ops take about five kernels each (clip, log, multiply, sum,
 * negate; sum, multiply, subtract, multiply). The formulas are losses/fused.ts's and the native
 * backend's: softmax -sum(t log p), sigmoid the mean of -(t log p + (1 - t) log(1 - p)), p clipped
 * to [1e-7, 1 - 1e-7]; gradients (p·sum(t) - t)·dy and (p - t)/classes·dy.
 *
 * The programs read one texel per value (unpacked), since a row's sum loops over its classes.
 * Probabilities of any rank are read as [rows, classes] (a reshape, free for these textures). NaN in
 * a row's inputs gives NaN where it is read (the value's row, the softmax gradient's row, the
 * sigmoid gradient's element), by the bits, as train_kernels.ts does.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';

type Info = tfc.TensorInfo;
type Args = Parameters<tfc.KernelFunc>[0];
type Kind = 'softmax' | 'sigmoid';

/** GLSL float literals for the clip, as losses/fused.ts's EPSILON. */
const CLIP = 'clamp(p, 1e-7, 1.0 - 1e-7)';

function valueProgram(kind: Kind, rows: number, classes: number): GPGPUProgram {
  const term = kind === 'softmax' ? 't * log(q)' : 't * log(q) + (1.0 - t) * log(1.0 - q)';
  const result = kind === 'softmax' ? '-s' : `-s / ${classes}.0`;
  return {
    variableNames: ['probs', 'target'],
    outputShape: [rows],
    userCode: `
  void main() {
    int row = getOutputCoords();
    float s = 0.0;
    bool nan = false;
    for (int j = 0; j < ${classes}; j++) {
      float p = getProbs(row, j);
      float t = getTarget(row, j);
      nan = nan || isnan(p) || isnan(t);
      float q = ${CLIP};
      s += ${term};
    }
    setOutput(nan ? NAN : ${result});
  }`,
  };
}

function gradProgram(kind: Kind, rows: number, classes: number): GPGPUProgram {
  const rowSum =
    kind === 'softmax'
      ? `float s = 0.0;
    for (int j = 0; j < ${classes}; j++) {
      float tj = getTarget(rc.x, j);
      nan = nan || isnan(tj);
      s += tj;
    }
    float r = (p * s - t) * d;`
      : `float r = (p - t) / ${classes}.0 * d;`;
  return {
    variableNames: ['probs', 'target', 'dy'],
    outputShape: [rows, classes],
    userCode: `
  void main() {
    ivec2 rc = getOutputCoords();
    float p = getProbs(rc.x, rc.y);
    float t = getTarget(rc.x, rc.y);
    float d = getDy(rc.x);
    bool nan = isnan(p) || isnan(t) || isnan(d);
    ${rowSum}
    setOutput(nan ? NAN : r);
  }`,
  };
}

function kernel(name: string): tfc.KernelFunc {
  const config = tfc.getKernel(name, tfc.getBackend());
  if (config === undefined) throw new Error(`keras-webgl: the backend has no '${name}' kernel.`);
  return config.kernelFunc;
}

/** `t` as `shape`, through the backend's Reshape (free for an unpacked texture); `owned` must be disposed. */
function reshaped(args: Args, t: Info, shape: number[]): { info: Info; owned: boolean } {
  if (tfc.util.arraysEqual(t.shape, shape)) return { info: t, owned: false };
  return { info: kernel(tfc.Reshape)({ inputs: { x: t }, backend: args.backend, attrs: { shape } }) as Info, owned: true };
}

/** Runs `program` on the inputs read as `shapes`, and returns its output as `outShape`. */
function run(args: Args, program: GPGPUProgram, inputs: Array<[Info, number[]]>, outShape: number[]): Info {
  const backend = args.backend as unknown as MathBackendWebGL;
  const views = inputs.map(([t, shape]) => reshaped(args, t, shape));
  const out = backend.runWebGLProgram(program, views.map((v) => v.info), 'float32');
  for (const v of views) if (v.owned) backend.disposeIntermediateTensorInfo(v.info);
  if (tfc.util.arraysEqual(out.shape, outShape)) return out;
  const result = reshaped(args, out, outShape).info;
  backend.disposeIntermediateTensorInfo(out);
  return result;
}

/** The probabilities' shape checks, and [rows, classes]. */
function layout(args: Args, name: string): { kind: Kind; probs: Info; target: Info; rows: number; classes: number } {
  const probs = args.inputs.probs as Info;
  const target = args.inputs.target as Info;
  const kind = args.attrs?.kind as Kind;
  if (kind !== 'softmax' && kind !== 'sigmoid') throw new Error(`keras-webgl ${name}: \`kind\` must be 'softmax' or 'sigmoid', got ${String(kind)}.`);
  if (probs.shape.length === 0 || !tfc.util.arraysEqual(probs.shape, target.shape)) {
    throw new Error(`keras-webgl ${name}: probs [${probs.shape}] and target [${target.shape}] must have one shape of rank >= 1.`);
  }
  const classes = probs.shape[probs.shape.length - 1];
  return { kind, probs, target, rows: tfc.util.sizeFromShape(probs.shape) / classes, classes };
}

/** FusedKernel.Crossentropy: inputs {probs, target}; attrs {kind}; output probs.shape without its last axis. */
function crossentropy(args: Args): Info {
  const { kind, probs, target, rows, classes } = layout(args, 'KerasCrossentropy');
  const matrix = [rows, classes];
  return run(args, valueProgram(kind, rows, classes), [[probs, matrix], [target, matrix]], probs.shape.slice(0, -1));
}

/** FusedKernel.CrossentropyGrad: inputs {probs, target, dy}; attrs {kind}; output probs.shape. */
function crossentropyGrad(args: Args): Info {
  const { kind, probs, target, rows, classes } = layout(args, 'KerasCrossentropyGrad');
  const dy = args.inputs.dy as Info;
  if (tfc.util.sizeFromShape(dy.shape) !== rows) throw new Error(`keras-webgl KerasCrossentropyGrad: dy [${dy.shape}] must have one value per row (${rows}).`);
  const matrix = [rows, classes];
  return run(args, gradProgram(kind, rows, classes), [[probs, matrix], [target, matrix], [dy, [rows]]], probs.shape);
}

/** The kernels keras-webgl adds for the cross-entropy losses, by name. */
export const WEBGL_LOSS_KERNELS: Readonly<Record<string, tfc.KernelFunc>> = {
  KerasCrossentropy: crossentropy as unknown as tfc.KernelFunc,
  KerasCrossentropyGrad: crossentropyGrad as unknown as tfc.KernelFunc,
};
