/**
 * keras-ts's training kernels (engine/fused_kernels.ts) as WebGL programs, on keras-webgl only:
 * the optimizer steps (KerasSGD, KerasAdam) and an activation's gradient (KerasActivationGrad).
 * tfjs-core's generic path runs each as a chain of small kernels (SGD: mul, sub per variable, more
 * with momentum; Adam: about ten), and on WebGL every kernel is a draw call with its own
 * texture; here each output is one shader pass that reads every input once.
 *
 * The contract is the native backend's (native/cpu/train.cc): the same formulas, in float32, the
 * decayed weight w - w·decay first; a WebGL program writes one texture, so a step writes one pass
 * per output (SGD: w, and m with momentum; Adam: w, m, v, and vHat with AMSGrad). The programs
 * are packed (four values a texel), as tfjs-backend-webgl's elementwise kernels and the matmuls
 * that make the gradients are, so no input is repacked. The step's numbers (learning rate, betas)
 * are uniforms, so a schedule never compiles a new shader.
 *
 * NaN in, NaN out: GLSL gives NaN no guaranteed arithmetic (SwiftShader's, and some GPUs', can turn
 * it into a number), so each output takes the input's NaN, tested by its bits (tfjs's isnan),
 * wherever an input it reads is NaN.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';

type Info = tfc.TensorInfo;
type Args = Parameters<tfc.KernelFunc>[0];

/** GLSL: r with the NaN elements of a (tfjs's isnan tests the bits). */
const KEEP_NAN = `
  vec4 keepNaN(vec4 r, vec4 a) {
    bvec4 n = isnan(a);
    return vec4(n.x ? a.x : r.x, n.y ? a.y : r.y, n.z ? a.z : r.z, n.w ? a.w : r.w);
  }
`;

/**
 * An elementwise packed program over same-shaped inputs: `body` reads each input X as `x` (a vec4)
 * and assigns `r`; the NaNs of `nanFrom` (inputs' names, lowercase) are kept.
 */
function elementwise(shape: number[], inputs: string[], uniforms: string[], body: string, nanFrom: string[] = inputs): GPGPUProgram {
  const reads = inputs.map((name) => `vec4 ${name.toLowerCase()} = get${name}AtOutCoords();`).join('\n    ');
  const keeps = nanFrom.map((name) => `r = keepNaN(r, ${name.toLowerCase()});`).join('\n    ');
  return {
    variableNames: inputs,
    outputShape: shape,
    packedInputs: true,
    packedOutput: true,
    customUniforms: uniforms.map((name) => ({ name, type: 'float' as const })),
    userCode: `${KEEP_NAN}
  void main() {
    ${reads}
    vec4 r;
    ${body}
    ${keeps}
    setOutput(r);
  }`,
  };
}

function input(args: Args, name: string): Info {
  const t = args.inputs[name] as Info | undefined;
  if (t === undefined) throw new Error(`keras-webgl: the kernel needs input '${name}'.`);
  return t;
}

function run(args: Args, program: GPGPUProgram, inputs: Info[], uniforms: number[]): Info {
  return (args.backend as unknown as MathBackendWebGL).runWebGLProgram(program, inputs, 'float32', uniforms.map((u) => [u]));
}

/** The weight after decay, in GLSL: `w0`. */
const decayed = (hasDecay: boolean): string => (hasDecay ? 'vec4 w0 = w - w * decay;' : 'vec4 w0 = w;');

/** One SGD step of `count` variables (FusedKernel.SGD): outputs [w0, m0?, w1, ...]. */
function sgd(args: Args): Info[] {
  const a = args.attrs as unknown as { count: number; lr: number; momentum: number; nesterov: boolean; decay: number };
  const out: Info[] = [];
  const hasDecay = a.decay !== 0;
  for (let i = 0; i < a.count; i++) {
    const [w, g] = [input(args, `w${i}`), input(args, `g${i}`)];
    const m = args.inputs[`m${i}`] as Info | undefined;
    const uniforms = ['lr', 'mu', 'decay'];
    const values = [a.lr, a.momentum, a.decay];
    if (m === undefined) {
      out.push(run(args, elementwise(w.shape, ['W', 'G'], uniforms, `${decayed(hasDecay)}\n    r = w0 - g * lr;`), [w, g], values));
      continue;
    }
    const step = a.nesterov ? 'w0 + (mi * mu - g * lr)' : 'w0 + mi';
    const wBody = `${decayed(hasDecay)}\n    vec4 mi = m * mu - g * lr;\n    r = ${step};`;
    out.push(run(args, elementwise(w.shape, ['W', 'G', 'M'], uniforms, wBody), [w, g, m], values));
    out.push(run(args, elementwise(w.shape, ['G', 'M'], uniforms, 'r = m * mu - g * lr;'), [g, m], values));
  }
  return out;
}

/** GLSL for Adam's new moments `mi`, `vi` and, with AMSGrad, the running maximum `vu` (NaN where vHat or v is). */
const ADAM_MOMENTS = `
    vec4 mi = m + (g - m) * c1;
    vec4 vi = v + (g * g - v) * c2;`;
const AMSGRAD = `
    vec4 vu = keepNaN(mix(vi, vhat, vec4(greaterThan(vhat, vi))), vhat);`;

/** One Adam step of `count` variables (FusedKernel.Adam): outputs [w0, m0, v0, vHat0?, w1, ...]. */
function adam(args: Args): Info[] {
  const a = args.attrs as unknown as { count: number; alpha: number; beta1: number; beta2: number; epsilon: number; decay: number };
  const uniforms = ['alpha', 'c1', 'c2', 'epsilon', 'decay'];
  const values = [a.alpha, 1 - a.beta1, 1 - a.beta2, a.epsilon, a.decay];
  const out: Info[] = [];
  for (let i = 0; i < a.count; i++) {
    const [w, g, m, v] = ['w', 'g', 'm', 'v'].map((n) => input(args, `${n}${i}`));
    const vHat = args.inputs[`vHat${i}`] as Info | undefined;
    const names = vHat ? ['W', 'G', 'M', 'V', 'VHAT'] : ['W', 'G', 'M', 'V'];
    const tensors = vHat ? [w, g, m, v, vHat] : [w, g, m, v];
    const vUsed = vHat ? `${AMSGRAD}\n    vec4 vs = vu;` : '\n    vec4 vs = vi;';
    const wBody = `${decayed(a.decay !== 0)}${ADAM_MOMENTS}${vUsed}\n    r = w0 - (mi * alpha) / (sqrt(vs) + epsilon);`;
    out.push(run(args, elementwise(w.shape, names, uniforms, wBody), tensors, values));
    out.push(run(args, elementwise(w.shape, ['G', 'M'], uniforms, 'r = m + (g - m) * c1;'), [g, m], values));
    out.push(run(args, elementwise(w.shape, ['G', 'V'], uniforms, 'r = v + (g * g - v) * c2;'), [g, v], values));
    if (vHat) out.push(run(args, elementwise(w.shape, ['G', 'V', 'VHAT'], uniforms, `vec4 vi = v + (g * g - v) * c2;${AMSGRAD}\n    r = vu;`), [g, v, vHat], values));
  }
  return out;
}

/** dL/dz from dL/dy and y = activation(z), in GLSL (as ops/dense.ts's activationGradient). */
const ACTIVATION_GRAD: Readonly<Record<string, string>> = {
  linear: 'r = dy;',
  sigmoid: 'r = dy * y * (1.0 - y);',
  tanh: 'r = dy * (1.0 - y * y);',
  relu: 'r = dy * vec4(greaterThan(y, vec4(0.0)));',
  relu6: 'r = dy * vec4(greaterThan(y, vec4(0.0))) * vec4(lessThan(y, vec4(6.0)));',
  elu: 'r = dy * mix(y + 1.0, vec4(1.0), vec4(greaterThan(y, vec4(0.0))));',
};

/** FusedKernel.ActivationGrad: inputs {dy, y}; attrs {activation}. */
function activationGrad(args: Args): Info {
  const activation = String(args.attrs?.activation);
  const body = ACTIVATION_GRAD[activation];
  if (body === undefined) {
    throw new Error(`keras-webgl KerasActivationGrad: no gradient for activation '${activation}'. help: use one of ${Object.keys(ACTIVATION_GRAD).join(', ')}.`);
  }
  const [dy, y] = [input(args, 'dy'), input(args, 'y')];
  return run(args, elementwise(dy.shape, ['DY', 'Y'], [], body), [dy, y], []);
}

/** The kernels keras-webgl adds to tfjs-backend-webgl's, by name. */
export const WEBGL_TRAIN_KERNELS: Readonly<Record<string, tfc.KernelFunc>> = {
  KerasSGD: sgd as unknown as tfc.KernelFunc,
  KerasAdam: adam as unknown as tfc.KernelFunc,
  KerasActivationGrad: activationGrad as unknown as tfc.KernelFunc,
};
