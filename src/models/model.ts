/**
 * The Model: a functional graph of layer calls from Input tensors to outputs, or a subclass that
 * creates layers as fields and computes in its own `call()` (subclass.ts: built on the first data
 * it sees, or on `build(shape)`, by calling it). A Model is itself a Layer, so it can be applied
 * inside another model. This file is what the model computes: its graph, names, shapes, weights,
 * forward pass, config and saving. What trains it (compile, fit, evaluate, predict, the
 * overridable trainStep/testStep/predictStep) it inherits from training_api.ts, as Keras's Model
 * inherits them from its Trainer. Progress, results and summaries go through k.utils.setLogger's logger.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { asList, structured } from '../data/step_data';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LayerConfig } from '../engine/layer';
import { maskList, type Mask, type MaskArg } from '../engine/masking';
import { toSnakeCase, uniqueName } from '../engine/naming';
import type { Node } from '../engine/node';
import { Shape, SymbolicTensor } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import { checkOptions, optionKeys } from '../engine/options';
import { functionalFromConfig, graphConfig } from './functional_config';
import { findLayer, Graph, noGraphError, onlyTensor, SymbolicList, symbolicList, uniqueWeights } from './graph';
import { savingApi } from './saving_link';
import type { LoadWeightsOptions, SaveOptions } from '../saving/options';
import { summarize } from './summary';
import { logLine } from '../utils/logger';
import { overridesCall, Signature, subclassFromConfig, trackedLayers } from './subclass';
import { TrainingApi } from './training_api';

export interface ModelArgs {
  /** The model's Input tensor(s): one, a list, or a record by name. Keras: `inputs` */
  inputs: SymbolicList;
  /** The tensor(s) the model computes from its inputs: one, a list, or a record by name. Keras: `outputs` */
  outputs: SymbolicList;
  /** The model's name. Keras: `name` @default 'functional' (a subclass: its snake_case class name), with a counter */
  name?: string;
}

const MODEL_KEYS = optionKeys<ModelArgs>()('inputs', 'outputs', 'name');

export class Model extends TrainingApi {
  readonly className: string = 'Functional';
  override supportsMasking = true;
  private graph: Graph | null = null;
  /** A subclassed model's input and output shapes, once built (subclass.ts); null for a graph. */
  private signature: Signature | null = null;

  /**
   * A functional model from `inputs` to `outputs`; a subclass with its own trainStep passes them on
   * too. A subclass that implements `call()` passes neither (at most `{name}`): it builds itself on
   * the first data it sees, or on `model.build(inputShape)`.
   */
  constructor(args?: Partial<ModelArgs>) {
    super({ name: args?.name ?? uniqueName(new.target === Model ? 'functional' : toSnakeCase(new.target.name)) });
    if (args?.inputs === undefined && args?.outputs === undefined && overridesCall(new.target.prototype, Model.prototype)) {
      this.className = new.target.name;
    } else if (new.target === Model || args?.inputs !== undefined || args?.outputs !== undefined) {
      checkOptions(new.target.name, args, MODEL_KEYS);
      if (args === undefined || args.inputs === undefined || args.outputs === undefined) {
        throw new ValueError('Model: give `inputs` and `outputs`, e.g. new Model({inputs, outputs}). help: inputs come from Input().');
      }
      this.setGraph(symbolicList(args.inputs), symbolicList(args.outputs));
    }
  }

  /** (Re)defines the graph; Sequential calls this as layers are added. */
  protected setGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    this.graph?.dispose();
    this.graph = new Graph(inputs, outputs, this.name);
    this.builtInputShape = inputs.length === 1 ? inputs[0].shape : inputs.map((t) => t.shape);
    this.built = true;
  }

  protected get definedGraph(): Graph {
    if (this.graph === null) throw noGraphError(this);
    return this.graph;
  }

  /** Whether the graph is defined (a Sequential without an input shape is not, until first data; a subclassed model never is). */
  get isDefined(): boolean {
    return this.graph !== null;
  }

  /** Whether this is a subclassed model: a subclass that computes in its own call(), without a graph. */
  get isSubclassed(): boolean {
    return this.graph === null && overridesCall(Object.getPrototypeOf(this) as object, Model.prototype);
  }

  get inputs(): SymbolicTensor[] {
    return this.definedGraph.inputs;
  }
  get outputs(): SymbolicTensor[] {
    return this.definedGraph.outputs;
  }
  /** Input names: the input layers' ('input', or 'input_1', 'input_2', ... in a subclassed model). */
  get inputNames(): string[] {
    return this.isSubclassed ? Signature.of(this, this.signature).inputNames : this.inputs.map((t) => t.node.layer.name);
  }
  /** Output names: the producing layer's name, as Keras uses for per-output losses and logs ('output_1', ... in a subclassed model). */
  get outputNames(): string[] {
    return this.isSubclassed ? Signature.of(this, this.signature).outputNames : this.outputs.map((t) => t.name);
  }
  get inputShapes(): Shape[] {
    return this.isSubclassed ? Signature.of(this, this.signature).inputs : this.inputs.map((t) => t.shape);
  }
  get outputShapes(): Shape[] {
    return this.isSubclassed ? Signature.of(this, this.signature).outputs : this.outputs.map((t) => t.shape);
  }

  /** Every layer of the graph, input layers first; in a subclassed model, the layers its fields hold, in assignment order. */
  get layers(): Layer[] {
    if (this.isSubclassed) return trackedLayers(this);
    return this.graph?.layers ?? [];
  }

  /** A layer by name, or by its index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    return findLayer(this.layers, nameOrIndex, this.name);
  }

  /** Whether fit may change the weights. Setting it sets it on every layer, as Keras does (and it is saved). */
  override get trainable(): boolean {
    return super.trainable;
  }
  override set trainable(value: boolean) {
    super.trainable = value;
    for (const layer of this.isSubclassed ? this.layers : (this.graph?.layers ?? [])) layer.trainable = value;
  }

  /** The model's input tensor (`inputs[0]`); a model with several inputs refuses and points to `inputs`. */
  override get input(): SymbolicTensor {
    return onlyTensor(this.inputs, this.name, 'input');
  }
  /** The model's output tensor (`outputs[0]`); a model with several outputs refuses and points to `outputs`. */
  override get output(): SymbolicTensor {
    return onlyTensor(this.outputs, this.name, 'output');
  }
  override get outputShape(): Shape {
    return this.output.shape;
  }

  override get trainableWeights(): Weight[] {
    if (!this.trainable) return [];
    return uniqueWeights(this.layers.flatMap((l) => l.trainableWeights));
  }
  override get nonTrainableWeights(): Weight[] {
    const all = uniqueWeights(this.layers.flatMap((l) => l.weights));
    const trainable = new Set(this.trainableWeights);
    return all.filter((w) => !trainable.has(w));
  }
  /** Every weight, layer by layer (each layer's trainable weights first), as Keras 3 orders them. */
  override get weights(): Weight[] {
    return uniqueWeights(this.layers.flatMap((l) => l.weights));
  }

  /**
   * The outputs for one batch: the graph's. A subclassed model overrides it (Keras's `call(inputs,
   * training)`): `call(x: tfc.Tensor, ctx)` for one input, `call([a, b]: tfc.Tensor[], ctx)` for
   * several, applying the layers it holds; they take `ctx.training` from it.
   */
  call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    return structured(this.forward(asList(inputs), ctx));
  }

  /** A subclassed model's call takes one tensor for one input, the list for several; the graph's call, the list. */
  protected override callInputs(inputs: tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
    return this.isSubclassed ? structured(inputs) : inputs;
  }

  /**
   * Builds a subclassed model for inputs of `inputShape` (batch dimension first: `[null, 784]`, or a
   * list of shapes for several inputs) by running its call() on zeros, so every layer it uses creates
   * its weights. A model with a graph is built already.
   */
  override build(inputShape: Shape | Shape[]): void {
    if (!this.isSubclassed || this.built) return;
    this.signature = Signature.build(this, inputShape);
    this.builtInputShape = this.signature.inputShape;
    this.built = true;
  }

  /** Runs the model on one batch; layers add activity-regularization losses to `ctx.losses`. */
  forward(xs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[] {
    if (this.isSubclassed) return this.callOnTensors(structured(xs), ctx);
    return this.definedGraph.execute(xs, ctx);
  }

  /** As forward, with each output's mask (null where none): what the losses and metrics honour. */
  forwardMasked(xs: tfc.Tensor[], ctx: CallContext): { outputs: tfc.Tensor[]; masks: Mask[] } {
    if (this.isSubclassed) {
      const outputs = this.forward(xs, ctx);
      return { outputs, masks: outputs.map(() => null) };
    }
    return this.definedGraph.executeMasked(xs, ctx, maskList(ctx.mask, xs.length));
  }

  /**
   * The forward pass of a training step in two parts: what no variable in `variables` reaches (a
   * frozen base) runs now, before the gradient tape opens (graph.ts's executeUntaped); the returned
   * function runs the rest, to be called under the tape. A subclassed model runs all of it there.
   */
  forwardUntapedFirst(xs: tfc.Tensor[], ctx: CallContext, variables: tfc.Variable[]): () => { outputs: tfc.Tensor[]; masks: Mask[] } {
    if (this.isSubclassed) return () => this.forwardMasked(xs, ctx);
    const graph = this.definedGraph;
    const inputMasks = maskList(ctx.mask, xs.length);
    const given = graph.executeUntaped(xs, ctx, inputMasks, new Set(variables));
    // Nothing reads the gradient of an untaped value either: the first trained layers skip their input gradient.
    const taped = { ...ctx, dataInputs: new Set([...(ctx.dataInputs ?? []), ...given.values.values()]) };
    return () => graph.executeMasked(xs, taped, inputMasks, given);
  }

  /** A model inside another passes its outputs' masks on, computed in the same run of its graph. */
  protected override callWithMask(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): { outputs: tfc.Tensor | tfc.Tensor[]; masks: MaskArg } {
    if (this.isSubclassed) return super.callWithMask(inputs, ctx);
    const { outputs, masks } = this.forwardMasked(asList(inputs), ctx);
    return outputs.length === 1 ? { outputs: outputs[0], masks: masks[0] } : { outputs, masks };
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    if (this.isSubclassed) return super.computeOutputShape(inputShape);
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
    const out = this.definedGraph.outputShapes(shapes);
    return out.length === 1 ? out[0] : out;
  }

  /** The Keras summary table; printed with `print` (by default through k.utils.setLogger's logger) and returned. */
  summary(print: (line: string) => void = logLine): string {
    const text = summarize(this);
    print(text);
    return text;
  }

  /**
   * The model's config, with its graph as Keras writes it: every layer with its `inboundNodes`,
   * and `inputLayers`/`outputLayers`. `Model.fromConfig` rebuilds the model (with fresh weights).
   */
  override getConfig(): LayerConfig {
    if (this.isSubclassed) return { name: this.name, trainable: this.trainable };
    const graph = this.definedGraph;
    return { name: this.name, trainable: this.trainable, ...graphConfig(graph) };
  }

  /** A model from its config (the output of getConfig), with fresh weights. Custom layers must be registered. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    return overridesCall(this.prototype, Model.prototype) ? subclassFromConfig(this, config) : functionalFromConfig(this, config);
  }

  /**
   * Saves the model: '.keras' (Keras 3: config, metadata and weights in a zip), '.h5' (Keras 2
   * HDF5), or a folder ('dir/' or '.../model.json': tfjs layers format). Atomic: a crash never leaves a
   * truncated file where a good one was.
   */
  async save(filepath: string, options: SaveOptions = {}): Promise<void> {
    await savingApi().saveModel(this, filepath, options);
  }

  /** Saves the weights only: '.weights.h5' (Keras 3, with the optimizer's state), or '.h5' (Keras 2 layout). */
  async saveWeights(filepath: string, options: SaveOptions = {}): Promise<void> {
    await savingApi().saveWeights(this, filepath, options);
  }

  /** Loads weights saved by Keras or keras-ts ('.weights.h5', '.h5', '.keras', or a tfjs folder). */
  async loadWeights(filepath: string, options: LoadWeightsOptions = {}): Promise<void> {
    await savingApi().loadWeights(this, filepath, options);
  }

  /** The model's architecture as Keras JSON (`k.models.modelFromJson` reads it back). */
  toJSON(): string {
    return savingApi().modelToJson(this);
  }

  /** The layer calls of the graph, in order (input layers excluded); for saving. */
  get graphNodes(): Node[] {
    return this.definedGraph.nodes;
  }

  /** Frees the weights, the optimizer's slots and the metrics' state. */
  override dispose(): void {
    this.layers.forEach((l) => l.dispose());
    this.graph?.dispose();
    this.training.dispose();
    super.dispose();
  }
}
