/**
 * Model subclassing, Keras's third way to build a model: a `Model` subclass that creates its layers
 * as fields and computes its outputs in `call(inputs, ctx)`, with no `inputs`/`outputs` graph.
 *
 *   trackedLayers(model)        the layers its fields hold (also in arrays and plain objects, nested
 *                               models included), each once, in the order they were assigned: Keras's
 *                               auto-tracking, read from the fields when asked
 *   Signature.build(model, shape) builds it: runs `call` eagerly on zeros of the input shape
 *                               (each unknown dimension 2, then 3), so every layer call() uses builds
 *                               itself from the real shapes; the Signature keeps the input and
 *                               output shapes (a dimension that differs between the two runs is
 *                               unknown) and names them as Keras does
 *
 * Eager rather than symbolic: call() may use any tfjs op, branch on `ctx.training`, or loop, and
 * runs as written in fit; tracing it into a graph would freeze such code. The weights are the same
 * either way: a layer builds once, from the first shape it is called with.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { RuntimeError, ValueError } from '../engine/errors';
import { Layer, LayerConfig, optionsOf } from '../engine/layer';
import { batchless, isShapeList } from '../engine/shape_utils';
import { formatShape, Shape } from '../engine/symbolic_tensor';

/** What building needs from the model: its name and its own call on inputs in the form call takes. */
interface Callable {
  readonly name: string;
  readonly className: string;
  callList(inputs: tfc.Tensor[], ctx: { training: boolean }): tfc.Tensor | tfc.Tensor[];
}

/** Whether objects of this prototype define their own `call` above `base` (a subclassed model). */
export function overridesCall(proto: object, base: object): boolean {
  return (proto as { call?: unknown }).call !== (base as { call?: unknown }).call;
}

/** The layers held by `owner`'s fields (arrays and plain objects of them too), each once, in assignment order. */
export function trackedLayers(owner: object): Layer[] {
  const found: Layer[] = [];
  const seen = new Set<unknown>([owner]);
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Layer) found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isPlainObject(value)) Object.values(value).forEach(visit);
  };
  Object.values(owner).forEach(visit);
  return found;
}

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The input shape(s) `model.build` was given, checked: one shape (batch dimension first, e.g.
 * [null, 784]) or a list of them for several inputs. The batch dimension becomes unknown.
 */
function checkBuildShape(shape: unknown, where: string): Shape[] {
  const list = Array.isArray(shape) && shape.length > 0 && shape.every(Array.isArray) ? (shape as unknown[]) : [shape];
  const ok = list.every((s) => Array.isArray(s) && s.length > 0 && s.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0)));
  if (!ok) {
    throw new ValueError(
      `${where}: the input shape must have the batch dimension first (null for any) and positive sizes, got ${JSON.stringify(shape)}. ` +
        'help: e.g. model.build([null, 784]), or [[null, 4], [null, 3]] for two inputs.',
    );
  }
  return (list as Shape[]).map(batchless);
}

/** A built subclassed model's inputs and outputs: shapes (batch dimension unknown) and names. */
export class Signature {
  private constructor(
    readonly inputs: Shape[],
    readonly outputs: Shape[],
  ) {}

  /** Builds `model` for `inputShape` (one shape, batch first, or a list) by calling it on zeros. */
  static build(model: Callable, inputShape: unknown): Signature {
    const inputs = checkBuildShape(inputShape, `${model.name}.build`);
    return new Signature(inputs, buildByCalling(model, inputs));
  }

  /** The signature of a model that must be built: refused, saying how to build it, when it is not. */
  static of(model: { name: string; className: string }, signature: Signature | null): Signature {
    if (signature !== null) return signature;
    throw new RuntimeError(
      `${model.name} (${model.className}): the model is not built yet, so its input and output shapes are unknown. ` +
        'help: call fit, evaluate or predict on data, or model.build([null, ...sampleShape]) first.',
    );
  }

  /** The input shape as a layer keeps it: one shape, or the list for several inputs. */
  get inputShape(): Shape | Shape[] {
    return this.inputs.length === 1 ? this.inputs[0] : this.inputs;
  }

  /** 'input' for one, 'input_1', 'input_2', ... for several. */
  get inputNames(): string[] {
    return this.inputs.length === 1 ? ['input'] : numbered('input', this.inputs.length);
  }

  /** 'output_1', 'output_2', ...: the names Keras gives a subclassed model's outputs in per-output losses and logs. */
  get outputNames(): string[] {
    return numbered('output', this.outputs.length);
  }
}

function numbered(base: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${base}_${i + 1}`);
}

/** Runs the model's call on zeros of `inputShapes` (twice), building its layers; returns the output shapes. */
function buildByCalling(model: Callable, inputShapes: Shape[]): Shape[] {
  const [a, b] = [2, 3].map((fill) => outputShapes(model, inputShapes.map((s) => s.map((d) => d ?? fill))));
  if (a.length !== b.length || a.some((s, i) => s.length !== b[i].length)) {
    throw new ValueError(`${model.name} (${model.className}): the rank of call()'s outputs changes with the batch size. help: return outputs whose rank does not depend on the data.`);
  }
  return a.map((s, i) => s.map((d, j) => (d === b[i][j] ? d : null)));
}

function outputShapes(model: Callable, shapes: number[][]): number[][] {
  return tfc.tidy(() => {
    let out: tfc.Tensor | tfc.Tensor[];
    try {
      out = model.callList(shapes.map((s) => tfc.zeros(s)), { training: false });
    } catch (e) {
      throw new ValueError(
        `${model.name} (${model.className}): building the model ran call() on zeros of shape ${shapes.map(formatShape).join(', ')}, ` +
          `and it failed: ${(e as Error).message} help: check that call() takes inputs of this shape; a shape given to build starts with ` +
          'the batch dimension (model.build([null, 784]) for samples of 784 values).',
      );
    }
    const list = Array.isArray(out) ? out : [out];
    if (list.length === 0 || !list.every((t) => t instanceof tfc.Tensor)) {
      throw new ValueError(`${model.name} (${model.className}): call() must return a tensor or a list of tensors, got ${String(out)}. help: return the outputs of the layers it applies.`);
    }
    return list.map((t) => t.shape);
  });
}

/** A layer's output shape for summary: from the shape it was built for, or '?' where unknown (Keras's style). */
export function builtOutputShape(layer: Layer): string {
  const shape = layer.buildInputShape;
  if (!layer.built || shape === undefined) return '?';
  try {
    const out = layer.computeOutputShape(shape);
    return isShapeList(out) ? `[${out.map(formatShape).join(', ')}]` : formatShape(out);
  } catch {
    return '?';
  }
}

/**
 * A subclassed model from its config: `new cls(config)`, as Keras's default from_config (the
 * config is what its getConfig returned: its constructor's options). Built later, from the saved
 * input shape or the first data.
 */
export function subclassFromConfig<T extends Layer>(cls: new (options: never) => T, config: LayerConfig): T {
  const model = new cls(optionsOf(config) as never);
  if (config.trainable === false) model.trainable = false;
  return model;
}
