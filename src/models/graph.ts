/**
 * The functional graph between a model's inputs and outputs: the layer calls (nodes) in an order
 * where each comes after the nodes that feed it, and the code that runs them (with the fused
 * kernels that fusion.ts and fusion_chains.ts choose for some of them, once, when the graph is made).
 * A training step runs it in two parts: first, outside the gradient tape, the nodes that no trained
 * variable reaches (executeUntaped: a frozen base), then the rest under the tape (executeMasked).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { resolveTensorArgs } from '../engine/call_args';
import { RuntimeError, ValueError } from '../engine/errors';
import { InputLayer } from '../engine/input_layer';
import type { CallContext, Layer } from '../engine/layer';
import type { Mask, MaskArg } from '../engine/masking';
import type { Node } from '../engine/node';
import { Shape, SymbolicTensor } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import { Lambda } from '../layers/lambda';
import { FusedCall, fusedCall } from './fusion';
import { FoldedWeights } from './folded_weights';
import { Chain, chainCall, findChains, folds, foldsPad, frozen, fusesInTraining, trainingChainCall } from './fusion_chains';

/** How a model's inputs or outputs are given: one symbolic tensor, a list, or a record by name. */
export type SymbolicList = SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;

/** The symbolic tensors of a SymbolicList, in order. */
export function symbolicList(x: SymbolicList): SymbolicTensor[] {
  if (x instanceof SymbolicTensor) return [x];
  if (Array.isArray(x)) return x;
  if (typeof x === 'object' && x !== null) return Object.values(x);
  throw new ValueError(`Model: inputs and outputs must be symbolic tensors, lists or records of them, got ${String(x)}.`);
}

/** The one tensor of `list`; a model with several refuses and points to the list. */
export function onlyTensor(list: SymbolicTensor[], modelName: string, what: 'input' | 'output'): SymbolicTensor {
  if (list.length !== 1) throw new ValueError(`${modelName}: the model has ${list.length} ${what}s. help: use model.${what}s.`);
  return list[0];
}

/** Why a model without a graph cannot give one: a Sequential before its input shape, or a subclassed model. */
export function noGraphError(model: { name: string; className: string; isSubclassed: boolean }): RuntimeError {
  if (model.isSubclassed) {
    return new RuntimeError(
      `${model.name} (${model.className}): a subclassed model has no graph of symbolic inputs and outputs; its call() runs on the data. ` +
        'help: use model.inputShapes and model.outputShapes (after it is built), or build a functional model.',
    );
  }
  if (model.className !== 'Sequential') {
    return new RuntimeError(
      `${model.name} (${model.className}): the model has neither a graph nor a call(). ` +
        'help: pass {inputs, outputs} to super() (a functional model), or implement call(inputs, ctx) applying its layers (a subclassed model).',
    );
  }
  return new RuntimeError(
    `${model.name}: the model has no input shape yet. help: give the first layer an inputShape (e.g. {inputShape: [784]}), ` +
      'or call fit/predict once so it is built from the data.',
  );
}

/** Each weight once (a layer shared between calls, or between nested models, holds the same weights). */
export function uniqueWeights(weights: Weight[]): Weight[] {
  return [...new Set(weights)];
}

/** A layer of `layers` by name, or by its index; refused with the valid names or indices. */
export function findLayer(layers: Layer[], nameOrIndex: string | number, modelName: string): Layer {
  if (typeof nameOrIndex === 'number') {
    const layer = Number.isInteger(nameOrIndex) ? layers[nameOrIndex] : undefined;
    if (layer === undefined) {
      throw new ValueError(`${modelName}: no layer at index ${nameOrIndex}; the model has ${layers.length} layers. help: use an index from 0 to ${layers.length - 1}, or a name.`);
    }
    return layer;
  }
  const layer = layers.find((l) => l.name === nameOrIndex);
  if (layer === undefined) {
    throw new ValueError(`${modelName}: no layer named '${nameOrIndex}'. help: the layers are ${layers.map((l) => l.name).join(', ')}.`);
  }
  return layer;
}

/** Tensors computed so far in one run of a graph, by symbolic tensor id, with their masks. */
export interface GraphValues {
  values: Map<number, tfc.Tensor>;
  masks: Map<number, tfc.Tensor>;
}

export class Graph {
  /** Nodes in topological order, input nodes excluded. */
  readonly nodes: Node[];
  /** Every layer, each once, in the order first used (input layers first). */
  readonly layers: Layer[];
  /** The fused computation that runs in place of a node's layer call, where there is one (fusion.ts). */
  private readonly fused = new Map<Node, FusedCall>();
  /** Conv-BatchNormalization(-activation) chains by their conv node (and padding node), and by their other nodes (fusion_chains.ts). */
  private readonly chains = new Map<Node, Chain>();
  private readonly chainTails = new Map<Node, Chain>();
  /** Frozen chains' folded kernels and biases, kept between calls (folded_weights.ts). */
  private readonly folded = new FoldedWeights();

  constructor(
    readonly inputs: SymbolicTensor[],
    readonly outputs: SymbolicTensor[],
    modelName: string,
  ) {
    for (const t of inputs) {
      if (!(t instanceof SymbolicTensor) || !(t.node.layer instanceof InputLayer)) {
        throw new ValueError(`Model '${modelName}': every input must come from Input(), got ${describe(t)}. help: inputs = Input({shape: [...]}).`);
      }
    }
    for (const t of outputs) {
      if (!(t instanceof SymbolicTensor)) {
        throw new ValueError(`Model '${modelName}': every output must be a symbolic tensor from layer.apply(), got ${describe(t)}.`);
      }
    }
    this.nodes = topologicalOrder(outputs, inputs, modelName);
    const layers = [...inputs.map((t) => t.node.layer)];
    for (const node of this.nodes) if (!layers.includes(node.layer)) layers.push(node.layer);
    const names = new Set<string>();
    for (const layer of layers) {
      if (names.has(layer.name)) {
        throw new ValueError(`Model '${modelName}': two different layers are named '${layer.name}'; layer names in a model must be unique (Keras saves and loads layers by name). help: give one of them another name.`);
      }
      names.add(layer.name);
    }
    this.layers = layers;
    const outputNodes = new Set(outputs.map((t) => t.node));
    for (const node of this.nodes) {
      const call = fusedCall(node.layer, outputNodes.has(node));
      if (call !== undefined) this.fused.set(node, call);
    }
    for (const chain of findChains(this.nodes, outputNodes)) {
      this.chains.set(chain.conv, chain);
      if (chain.pad !== null) this.chains.set(chain.pad, chain);
      this.chainTails.set(chain.norm, chain);
      if (chain.act !== null) this.chainTails.set(chain.act, chain);
    }
  }

  /** Runs the graph on real tensors (one per input, in order) and returns one tensor per output. */
  execute(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[] {
    return this.executeMasked(inputs, ctx).outputs;
  }

  /**
   * As execute, carrying masks from layer to layer (see engine/masking.ts): `inputMasks` are the
   * inputs' masks, and the outputs come with theirs (null where none). `given`: values computed
   * already (by executeUntaped), whose nodes do not run again.
   */
  executeMasked(inputs: tfc.Tensor[], ctx: CallContext, inputMasks: Mask[] = [], given?: GraphValues): { outputs: tfc.Tensor[]; masks: Mask[] } {
    const run = this.start(inputs, inputMasks, given);
    for (const node of this.nodes) if (!node.outputs.every((t) => run.values.has(t.id))) this.runNode(node, ctx, run);
    return { outputs: this.outputs.map((t) => run.values.get(t.id) as tfc.Tensor), masks: this.outputs.map((t) => run.masks.get(t.id) ?? null) };
  }

  /**
   * Runs, before a gradient tape opens, the nodes that need none: those whose layer holds none of
   * `variables` and whose inputs come only from the model's inputs or from other such nodes (a
   * frozen base and what it feeds before the first trained layer). Their values, for executeMasked
   * under the tape to start from: outside the tape tfjs's fused kernels fuse (they split while a
   * tape records) and nothing is saved for a backward pass that would find no variable there.
   */
  executeUntaped(inputs: tfc.Tensor[], ctx: CallContext, inputMasks: Mask[], variables: Set<tfc.Variable>): GraphValues {
    const run = this.start(inputs, inputMasks);
    const holds = (n: Node): boolean => n.layer.weights.some((w) => variables.has(w.value));
    for (const node of this.nodes) {
      // The cheap tests first: in a model that trains from its first layer, no node after it has its inputs here.
      if (node.layer instanceof Lambda || !node.inputs.every((t) => run.values.has(t.id)) || node.outputs.every((t) => run.values.has(t.id))) continue;
      // A chain's first node (its padding or conv) runs the whole chain folded: untaped only if no layer of it trains.
      const chain = this.chains.get(node);
      const trains = holds(node) || (chain !== undefined && (holds(chain.conv) || holds(chain.norm)));
      if (!trains) this.runNode(node, ctx, run);
    }
    return run;
  }

  private start(inputs: tfc.Tensor[], inputMasks: Mask[], given?: GraphValues): GraphValues {
    const run: GraphValues = { values: new Map(given?.values), masks: new Map(given?.masks) };
    this.inputs.forEach((t, i) => {
      run.values.set(t.id, inputs[i]);
      if (inputMasks[i]) run.masks.set(t.id, inputMasks[i] as tfc.Tensor);
    });
    return run;
  }

  /**
   * Runs one node on the values of its inputs; for a chain (fusion_chains.ts), its conv runs the whole
   * chain folded, or its training BatchNormalization runs the activation after it too.
   */
  private runNode(node: Node, ctx: CallContext, run: GraphValues): void {
    const { values, masks } = run;
    const keep = (id: number, value: tfc.Tensor, mask: Mask | undefined): void => {
      values.set(id, value);
      if (mask) masks.set(id, mask);
    };
    const chain = this.chains.get(node);
    if (chain !== undefined && !frozen(chain)) this.folded.forget(chain);
    if (chain !== undefined && masks.size === 0 && folds(chain, ctx) && (node === chain.conv || foldsPad(chain))) {
      // From the padding node: the conv pads its input itself (explicit padding), the ZeroPadding2D does not run.
      const withPad = node === chain.pad;
      const out = chain.conv.layer.callMasked(values.get(node.inputs[0].id) as tfc.Tensor, ctx, chainCall(chain, this.folded, withPad));
      for (const n of [withPad ? chain.pad : null, chain.conv, chain.norm, chain.act]) n?.outputs.forEach((t) => keep(t.id, out.outputs[0], null));
      return;
    }
    const trains = this.chainTails.get(node);
    if (trains !== undefined && trains.norm === node && masks.size === 0 && fusesInTraining(trains, ctx)) {
      const out = node.layer.callMasked(values.get(node.inputs[0].id) as tfc.Tensor, ctx, trainingChainCall(trains));
      for (const n of [trains.norm, trains.act]) n?.outputs.forEach((t) => keep(t.id, out.outputs[0], null));
      return;
    }
    if (node.plain) {
      // One input, no options: its mask is the input's; the context passes on as it is where that mask is already its own.
      const id = node.inputs[0].id;
      const mask = masks.get(id) ?? null;
      const own = (ctx.mask ?? null) === mask && ctx.args === undefined ? ctx : { ...ctx, mask, args: {} };
      const out = node.layer.callMasked(values.get(id) as tfc.Tensor, own, this.fused.get(node));
      node.outputs.forEach((t, i) => keep(t.id, out.outputs[i], out.masks[i]));
      return;
    }
    const all = node.inputs.map((t) => values.get(t.id) as tfc.Tensor);
    const positional = node.inputs.slice(0, node.positional);
    // A mask given to the call explicitly replaces the ones carried with its inputs.
    const { mask, ...args } = resolveTensorArgs(node.args, all);
    const carried = positional.map((t) => masks.get(t.id) ?? null);
    const inMask = 'mask' in node.args ? (mask as MaskArg) : positional.length === 1 ? carried[0] : carried;
    const x = positional.length === 1 ? all[0] : all.slice(0, node.positional);
    const out = node.layer.callMasked(x, { ...ctx, mask: inMask, args }, this.fused.get(node));
    node.outputs.forEach((t, i) => keep(t.id, out.outputs[i], out.masks[i]));
  }

  /** Frees what the graph keeps between runs (frozen chains' folded weights); the layers keep theirs. */
  dispose(): void {
    this.folded.dispose();
  }

  /** Output shapes for given input shapes, computed layer by layer without data. */
  outputShapes(inputShapes: Shape[]): Shape[] {
    const shapes = new Map<number, Shape>();
    this.inputs.forEach((t, i) => shapes.set(t.id, inputShapes[i]));
    for (const node of this.nodes) {
      const ins = node.inputs.slice(0, node.positional).map((t) => shapes.get(t.id) as Shape);
      const out = node.layer.computeOutputShape(ins.length === 1 ? ins[0] : ins, node.args);
      const list = (Array.isArray(out[0]) ? out : [out]) as Shape[];
      node.outputs.forEach((t, i) => shapes.set(t.id, list[i]));
    }
    return this.outputs.map((t) => shapes.get(t.id) as Shape);
  }
}

function topologicalOrder(outputs: SymbolicTensor[], inputs: SymbolicTensor[], modelName: string): Node[] {
  const order: Node[] = [];
  const done = new Set<Node>();
  const inProgress = new Set<Node>();
  const inputNodes = new Set(inputs.map((t) => t.node));
  const visit = (node: Node): void => {
    if (done.has(node)) return;
    if (inProgress.has(node)) throw new ValueError(`Model '${modelName}': the graph has a cycle through layer '${node.layer.name}'.`);
    if (node.layer instanceof InputLayer) {
      if (!inputNodes.has(node)) {
        throw new ValueError(
          `Model '${modelName}': the outputs depend on input '${node.layer.name}', which is not among the model's inputs. ` +
            'help: add it to `inputs`.',
        );
      }
      done.add(node);
      return;
    }
    inProgress.add(node);
    node.inputs.forEach((t) => visit(t.node));
    inProgress.delete(node);
    done.add(node);
    order.push(node);
  };
  outputs.forEach((t) => visit(t.node));
  return order;
}

function describe(x: unknown): string {
  if (x instanceof tfc.Tensor) return `a real Tensor of shape [${x.shape}]`;
  return x === null || x === undefined ? String(x) : typeof x === 'object' ? (x.constructor?.name ?? 'object') : typeof x;
}
