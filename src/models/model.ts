/**
 * The functional Model: a graph of layer calls from Input tensors to outputs. A Model is itself a
 * Layer, so it can be applied inside another model. compile/fit/evaluate/predict are delegated to
 * the training engine (trainer.ts), composed in rather than inherited.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { History } from '../callbacks/history';
import type { Logs } from '../callbacks/callback';
import { DataInput, toTensors, checkShapes } from '../data/adapter';
import { RuntimeError, ValueError } from '../engine/errors';
import { CallContext, Layer, LayerConfig } from '../engine/layer';
import { maskList, type Mask, type MaskArg } from '../engine/masking';
import { uniqueName } from '../engine/naming';
import { Shape, SymbolicTensor } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import { CompileArgs } from './compile_config';
import type { EvaluateArgs, FitArgs, PredictArgs } from './fit_args';
import { Graph } from './graph';
import { summarize } from './summary';
import { OnBatchArgs, predictBatches, Trainer } from './trainer';
import { Dataset, isDataset } from '../data/sources';
import type { TrainableModel } from './trainable_model';

type SymbolicList = SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;

export interface ModelArgs {
  inputs: SymbolicList;
  outputs: SymbolicList;
  name?: string;
}

export class Model extends Layer implements TrainableModel {
  readonly className: string = 'Functional';
  override supportsMasking = true;
  /** Set true (by a callback) to end fit after the current batch. */
  stopTraining = false;
  private graph: Graph | null = null;
  private trainer: Trainer | null = null;

  constructor(args?: Partial<ModelArgs>) {
    super({ name: args?.name ?? uniqueName(new.target === Model ? 'functional' : 'sequential') });
    if (new.target === Model) {
      if (args === undefined || args.inputs === undefined || args.outputs === undefined) {
        throw new ValueError('Model: give `inputs` and `outputs`, e.g. new Model({inputs, outputs}). help: inputs come from Input().');
      }
      this.setGraph(toList(args.inputs), toList(args.outputs));
    }
  }

  /** (Re)defines the graph; Sequential calls this as layers are added. */
  protected setGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    this.graph = new Graph(inputs, outputs, this.name);
    this.builtInputShape = inputs.length === 1 ? inputs[0].shape : inputs.map((t) => t.shape);
    this.built = true;
  }

  protected get definedGraph(): Graph {
    if (this.graph === null) {
      throw new RuntimeError(
        `${this.name}: the model has no input shape yet. help: give the first layer an inputShape (e.g. {inputShape: [784]}), ` +
          'or call fit/predict once so it is built from the data.',
      );
    }
    return this.graph;
  }

  /** Whether the graph is defined (a Sequential without an input shape is not, until first data). */
  get isDefined(): boolean {
    return this.graph !== null;
  }

  get inputs(): SymbolicTensor[] {
    return this.definedGraph.inputs;
  }
  get outputs(): SymbolicTensor[] {
    return this.definedGraph.outputs;
  }
  get inputNames(): string[] {
    return this.inputs.map((t) => t.node.layer.name);
  }
  /** Output names: the producing layer's name, as Keras uses for per-output losses and logs. */
  get outputNames(): string[] {
    return this.outputs.map((t) => t.name);
  }
  get inputShapes(): Shape[] {
    return this.inputs.map((t) => t.shape);
  }
  get outputShapes(): Shape[] {
    return this.outputs.map((t) => t.shape);
  }

  /** Every layer of the graph, input layers first. */
  get layers(): Layer[] {
    return this.graph?.layers ?? [];
  }

  getLayer(name: string): Layer {
    const layer = this.layers.find((l) => l.name === name);
    if (layer === undefined) {
      throw new ValueError(`${this.name}: no layer named '${name}'. help: the layers are ${this.layers.map((l) => l.name).join(', ')}.`);
    }
    return layer;
  }

  override get trainableWeights(): Weight[] {
    if (!this.trainable) return [];
    return unique(this.layers.flatMap((l) => l.trainableWeights));
  }
  override get nonTrainableWeights(): Weight[] {
    const all = unique(this.layers.flatMap((l) => l.weights));
    const trainable = new Set(this.trainableWeights);
    return all.filter((w) => !trainable.has(w));
  }
  /** Every weight, layer by layer (each layer's trainable weights first), as Keras 3 orders them. */
  override get weights(): Weight[] {
    return unique(this.layers.flatMap((l) => l.weights));
  }

  call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    const outs = this.forward(Array.isArray(inputs) ? inputs : [inputs], ctx);
    return outs.length === 1 ? outs[0] : outs;
  }

  /** Runs the graph on one batch; layers add activity-regularization losses to `ctx.losses`. */
  forward(xs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[] {
    return this.definedGraph.execute(xs, ctx);
  }

  /** As forward, with each output's mask (null where none): what the losses and metrics honour. */
  forwardMasked(xs: tfc.Tensor[], ctx: CallContext): { outputs: tfc.Tensor[]; masks: Mask[] } {
    return this.definedGraph.executeMasked(xs, ctx, maskList(ctx.mask, xs.length));
  }

  /** A model inside another passes its outputs' masks on, computed in the same run of its graph. */
  protected override callWithMask(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): { outputs: tfc.Tensor | tfc.Tensor[]; masks: MaskArg } {
    const { outputs, masks } = this.forwardMasked(Array.isArray(inputs) ? inputs : [inputs], ctx);
    return outputs.length === 1 ? { outputs: outputs[0], masks: masks[0] } : { outputs, masks };
  }

  /** The sum of the weight regularizers' penalties (a scalar), or null when no weight has one. */
  weightPenalty(): tfc.Scalar | null {
    const penalties = this.trainableWeights.filter((w) => w.regularizer).map((w) => (w.regularizer as NonNullable<typeof w.regularizer>).call(w.value));
    return penalties.length === 0 ? null : (tfc.addN(penalties) as tfc.Scalar);
  }

  /** Projects every trainable weight that has a constraint (after an optimizer step). */
  applyConstraints(): void {
    for (const w of this.trainableWeights) {
      if (w.constraint === undefined) continue;
      const projected = w.constraint.call(w.value);
      w.value.assign(projected);
      projected.dispose();
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
    const out = this.definedGraph.outputShapes(shapes);
    return out.length === 1 ? out[0] : out;
  }

  /** Configures training: the optimizer, the loss (per output if several) and the metrics. */
  compile(args: CompileArgs): void {
    if (args === undefined) throw new ValueError("compile: give {optimizer, loss}, e.g. {optimizer: 'adam', loss: 'mse'}.");
    const trainer = new Trainer(this, args);
    this.trainer?.dispose();
    this.trainer = trainer;
  }

  private get compiled(): Trainer {
    if (this.trainer === null) {
      throw new RuntimeError(
        `${this.name}: the model must be compiled before fit or evaluate. help: call model.compile({optimizer, loss, metrics}) first.`,
      );
    }
    return this.trainer;
  }

  /** The optimizer given to compile. */
  get optimizer(): Trainer['optimizer'] {
    return this.compiled.optimizer;
  }

  /**
   * Trains for a number of epochs; returns the History of every epoch's logs. Takes arrays
   * (`fit(x, y, options)`) or a dataset of batches (`fit(dataset, options)`).
   */
  async fit(dataset: Dataset, args?: FitArgs): Promise<History>;
  async fit(x: DataInput, y: DataInput, args?: FitArgs): Promise<History>;
  async fit(x: DataInput | Dataset, yOrArgs?: DataInput | FitArgs, args: FitArgs = {}): Promise<History> {
    if (isDataset(x)) return this.compiled.fit(x, undefined, (yOrArgs as FitArgs | undefined) ?? {});
    this.buildFromData(x);
    return this.compiled.fit(x, yOrArgs as DataInput, args);
  }

  /** The loss and metrics on the given data: [loss, ...metrics], or a record with returnDict. */
  async evaluate(x: DataInput | Dataset, y: DataInput | undefined, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: DataInput | Dataset, y?: DataInput, args?: EvaluateArgs): Promise<number[]>;
  async evaluate(x: DataInput | Dataset, y?: DataInput, args: EvaluateArgs = {}): Promise<number[] | Logs> {
    if (!isDataset(x)) this.buildFromData(x);
    return this.compiled.evaluate(x, y, args);
  }

  /** One optimizer step on exactly this batch; returns the running loss and metrics. */
  trainOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs & { returnDict: true }): Logs;
  trainOnBatch(x: DataInput, y: DataInput, args?: OnBatchArgs): number[];
  trainOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs = {}): number[] | Logs {
    this.buildFromData(x);
    return this.compiled.trainOnBatch(x, y, args);
  }

  /** The loss and metrics on exactly this batch (added to the running values). */
  testOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs & { returnDict: true }): Logs;
  testOnBatch(x: DataInput, y: DataInput, args?: OnBatchArgs): number[];
  testOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs = {}): number[] | Logs {
    this.buildFromData(x);
    return this.compiled.testOnBatch(x, y, args);
  }

  /** The outputs for exactly this batch, owned by the caller. */
  predictOnBatch(x: DataInput): tfc.Tensor | tfc.Tensor[] {
    return this.predict(x, { batchSize: Number.MAX_SAFE_INTEGER });
  }

  /** Zeroes the running loss and metrics (trainOnBatch and testOnBatch accumulate until then). */
  resetMetrics(): void {
    this.compiled.resetState();
  }

  /** The outputs for x, computed in batches: a Tensor (or one per output), owned by the caller. */
  predict(x: DataInput, args: PredictArgs = {}): tfc.Tensor | tfc.Tensor[] {
    this.buildFromData(x);
    const opts = { what: 'x', names: this.inputNames, shapes: this.inputShapes };
    const { tensors, owned } = toTensors(x, opts);
    try {
      checkShapes(tensors, { ...opts, strict: true });
      const xs = tensors.map((t) => (t.dtype === 'float32' ? t : tfc.cast(t, 'float32')));
      owned.push(...xs.filter((t, i) => t !== tensors[i]));
      const outs = predictBatches(this, xs, args);
      return outs.length === 1 ? outs[0] : outs;
    } finally {
      owned.forEach((t) => t.dispose());
    }
  }

  /** Sequential builds its graph from the first data it sees; a functional model is always built. */
  protected buildFromData(x: DataInput): void {
    void x;
  }

  /** The Keras summary table; printed with `print` (console.log by default) and returned. */
  summary(print: (line: string) => void = console.log): string {
    const text = summarize(this);
    print(text);
    return text;
  }

  override getConfig(): LayerConfig {
    const layers = this.layers.map((l) => ({ className: l.className, config: l.getConfig() }));
    return { ...super.getConfig(), layers, inputLayers: this.inputNames, outputLayers: this.outputNames };
  }

  /** Frees the weights, the optimizer's slots and the metrics' state. */
  override dispose(): void {
    this.layers.forEach((l) => l.dispose());
    this.trainer?.dispose();
    this.trainer = null;
  }
}

function toList(x: SymbolicList): SymbolicTensor[] {
  if (x instanceof SymbolicTensor) return [x];
  if (Array.isArray(x)) return x;
  if (typeof x === 'object' && x !== null) return Object.values(x);
  throw new ValueError(`Model: inputs and outputs must be symbolic tensors, lists or records of them, got ${String(x)}.`);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
