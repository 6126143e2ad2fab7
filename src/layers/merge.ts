/** Layers that combine several inputs: elementwise (Add, ...), Concatenate and Dot. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { MultiInputLayer } from '../engine/multi_input_layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { maskAsBool, maskList, MaskArg } from '../engine/masking';
import { formatShape, Shape } from '../engine/symbolic_tensor';

function shapes(layer: Layer, inputShape: Shape | Shape[], min: number, max = Infinity): Shape[] {
  const all = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
  if (all.length < min || all.length > max) {
    const want = max === min ? `exactly ${min}` : `at least ${min}`;
    throw new ValueError(`${layer.name} (${layer.className}): needs ${want} inputs, got ${all.length}. help: apply it to a list, e.g. layer.apply([a, b]).`);
  }
  return all;
}

/** Elementwise merge: shapes must agree (a dimension of 1 or unknown broadcasts). */
abstract class ElementwiseMerge extends MultiInputLayer {
  protected minInputs = 2;
  protected maxInputs = Infinity;
  override supportsMasking = true;

  /** As Keras: a step is kept where any input keeps it; no mask unless every input has one. */
  override computeMask(inputs: tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    const masks = maskList(mask, inputs.length);
    if (masks.some((m) => m === null)) return null;
    return (masks as tfc.Tensor[]).map(maskAsBool).reduce((a, b) => tfc.logicalOr(a, b));
  }

  protected abstract merge(xs: tfc.Tensor[]): tfc.Tensor;

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const all = shapes(this, inputShape, this.minInputs, this.maxInputs);
    const rank = all[0].length;
    const fail = (): never => {
      throw new ValueError(
        `${this.name} (${this.className}): inputs must have the same shape (or dimensions of 1), got ${all.map(formatShape).join(', ')}. ` +
          'help: make the branches produce matching shapes, e.g. with a Dense or Reshape layer.',
      );
    };
    if (all.some((s) => s.length !== rank)) fail();
    return all[0].map((_, i) => {
      const dims = all.map((s) => s[i]);
      const known = dims.filter((d): d is number => d !== null && d !== 1);
      if (new Set(known).size > 1) fail();
      return known[0] ?? (dims.every((d) => d === 1) ? 1 : null);
    });
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    const xs = inputs;
    this.computeOutputShape(xs.map((x) => x.shape));
    return this.merge(xs);
  }
}

function defineMerge(className: string, merge: (xs: tfc.Tensor[]) => tfc.Tensor, maxInputs = Infinity): new (args?: LayerArgs) => ElementwiseMerge {
  const cls = class extends ElementwiseMerge {
    static override readonly optionKeys = LAYER_KEYS;
    readonly className = className;
    constructor(args: LayerArgs = {}) {
      super(args);
      this.maxInputs = maxInputs;
      this.minInputs = 2;
    }
    protected merge(xs: tfc.Tensor[]): tfc.Tensor {
      return merge(xs);
    }
  };
  Object.defineProperty(cls, 'name', { value: className }); // default layer names: add, add_1, ...
  return cls;
}

export const Add = defineMerge('Add', (xs) => xs.reduce((a, b) => tfc.add(a, b)));
export const Subtract = defineMerge('Subtract', ([a, b]) => tfc.sub(a, b), 2);
export const Multiply = defineMerge('Multiply', (xs) => xs.reduce((a, b) => tfc.mul(a, b)));
export const Average = defineMerge('Average', (xs) => tfc.div(xs.reduce((a, b) => tfc.add(a, b)), xs.length));
export const Maximum = defineMerge('Maximum', (xs) => xs.reduce((a, b) => tfc.maximum(a, b)));
export const Minimum = defineMerge('Minimum', (xs) => xs.reduce((a, b) => tfc.minimum(a, b)));

export interface ConcatenateArgs extends LayerArgs {
  /** The axis the inputs are joined along. Keras: `axis` @default -1 */
  axis?: number;
}

/** Joins inputs along `axis`; all other dimensions must match. */
export class Concatenate extends MultiInputLayer {
  static override readonly optionKeys = optionKeys<ConcatenateArgs>()(...LAYER_KEYS, 'axis');
  readonly className = 'Concatenate';
  readonly axis: number;
  override supportsMasking = true;

  static override readonly positional = ['axis'];

  constructor(axis: number, options?: Omit<ConcatenateArgs, 'axis'>);
  constructor(args?: ConcatenateArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ConcatenateArgs>(new.target, given) ?? {};
    super(args);
    this.axis = args.axis ?? -1;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const all = shapes(this, inputShape, 2);
    const rank = all[0].length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    const bad = axis <= 0 || axis >= rank || all.some((s) => s.length !== rank || s.some((d, i) => i !== axis && i > 0 && d !== null && all[0][i] !== null && d !== all[0][i]));
    if (bad) {
      throw new ValueError(
        `${this.name} (Concatenate): inputs ${all.map(formatShape).join(', ')} cannot be joined on axis ${this.axis}; every other dimension must match. ` +
          'help: reshape the inputs, or choose another axis.',
      );
    }
    const sizes = all.map((s) => s[axis]);
    return all[0].map((d, i) => (i === axis ? (sizes.includes(null) ? null : (sizes as number[]).reduce((a, b) => a + b, 0)) : d));
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    const xs = inputs;
    this.computeOutputShape(xs.map((x) => x.shape));
    return tfc.concat(xs, this.axis);
  }

  /** As Keras: each input's mask (all true where it has none) widened to its shape, joined, and any() over the last axis. */
  override computeMask(inputs: tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    const xs = inputs;
    const masks = maskList(mask, xs.length);
    if (masks.every((m) => m === null)) return null;
    const full = xs.map((x, i) => {
      const m = masks[i];
      if (m === null) return tfc.ones(x.shape, 'bool');
      let b = maskAsBool(m);
      while (b.rank < x.rank) b = tfc.expandDims(b, -1);
      return tfc.logicalAnd(b, tfc.ones(x.shape, 'bool'));
    });
    return tfc.any(tfc.concat(full, this.axis), -1);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export interface DotArgs extends LayerArgs {
  /** The axis (or one per input) to contract, counting the batch axis as 0. Keras: `axes` */
  axes: number | [number, number];
  /** L2-normalize along the axes first, giving cosine similarities. Keras: `normalize` @default false */
  normalize?: boolean;
}

/** The dot product of two inputs along `axes`, per sample (a batched matrix product). */
export class Dot extends MultiInputLayer {
  static override readonly optionKeys = optionKeys<DotArgs>()(...LAYER_KEYS, 'axes', 'normalize');
  readonly className = 'Dot';
  readonly axes: [number, number];
  readonly normalize: boolean;

  static override readonly positional = ['axes'];

  constructor(axes: number | [number, number], options?: Omit<DotArgs, 'axes'>);
  constructor(args: DotArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<DotArgs>(new.target, given);
    super(args);
    const a = args?.axes;
    const axes = typeof a === 'number' ? [a, a] : a;
    if (!Array.isArray(axes) || axes.length !== 2 || !axes.every((x) => Number.isInteger(x))) {
      throw new ValueError(`Dot '${this.name}': \`axes\` must be an integer or two integers, got ${JSON.stringify(a)}. help: e.g. {axes: 1}.`);
    }
    this.axes = axes as [number, number];
    this.normalize = args.normalize ?? false;
  }

  private resolved(all: Shape[]): [number, number] {
    return this.axes.map((a, i) => (a < 0 ? all[i].length + a : a)) as [number, number];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const all = shapes(this, inputShape, 2, 2);
    const [a0, a1] = this.resolved(all);
    const [s0, s1] = all;
    const ok = a0 > 0 && a1 > 0 && a0 < s0.length && a1 < s1.length && (s0[a0] === null || s1[a1] === null || s0[a0] === s1[a1]);
    if (!ok) {
      throw new ValueError(
        `${this.name} (Dot): cannot contract axis ${this.axes[0]} of ${formatShape(s0)} with axis ${this.axes[1]} of ${formatShape(s1)}. ` +
          'help: the contracted dimensions must be equal and not the batch axis.',
      );
    }
    const rest = [...s0.slice(1).filter((_, i) => i + 1 !== a0), ...s1.slice(1).filter((_, i) => i + 1 !== a1)];
    return [s0[0], ...(rest.length === 0 ? [1] : rest)];
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    let [x, y] = inputs;
    const outShape = this.computeOutputShape([x.shape, y.shape]) as number[];
    const [a0, a1] = this.resolved([x.shape, y.shape]);
    if (this.normalize) {
      const unit = (t: tfc.Tensor, axis: number): tfc.Tensor => tfc.div(t, tfc.sqrt(tfc.maximum(tfc.sum(tfc.square(t), axis, true), 1e-12)));
      x = unit(x, a0);
      y = unit(y, a1);
    }
    const n = x.shape[0];
    const k = x.shape[a0];
    // x: contracted axis last -> [n, p, k]; y: contracted axis first after batch -> [n, k, q].
    const xPerm = [0, ...x.shape.map((_, i) => i).filter((i) => i > 0 && i !== a0), a0];
    const yPerm = [0, a1, ...y.shape.map((_, i) => i).filter((i) => i > 0 && i !== a1)];
    const xm = tfc.reshape(tfc.transpose(x, xPerm), [n, -1, k]) as tfc.Tensor3D;
    const ym = tfc.reshape(tfc.transpose(y, yPerm), [n, k, -1]) as tfc.Tensor3D;
    return tfc.reshape(tfc.matMul(xm, ym), [n, ...outShape.slice(1)]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}
