/**
 * The base of every layer. A layer computes outputs from inputs (`call`), creates its weights in
 * `build` on first use, and says what shape it outputs (`computeOutputShape`). `apply` is the only
 * caller of `build`: given symbolic tensors it adds a node to a functional graph; given real
 * tensors it computes.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from './errors';
import { toSnakeCase, uniqueName } from './naming';
import { Node } from './node';
import { formatShape, Shape, SymbolicTensor } from './symbolic_tensor';
import { Weight, WeightArgs } from './weight';
import { getRegularizer, Regularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';
import { logitsOf } from '../activations/logits';

export interface LayerArgs {
  /** Unique name; defaults to the snake_case class name with a counter (dense, dense_1, ...). */
  name?: string;
  /** Whether fit updates this layer's weights. @default true */
  trainable?: boolean;
  /** Shape of one sample, for the first layer of a Sequential model (e.g. [784]). */
  inputShape?: Shape;
  /** Shape including the batch dimension (null for any), as an alternative to inputShape. */
  batchInputShape?: Shape;
  /** @default 'float32' */
  dtype?: tfc.DataType;
  /** A penalty on the layer's output, added to the loss in fit. */
  activityRegularizer?: RegularizerIdentifier;
}

/** What a call needs besides its inputs. */
export interface CallContext {
  /** True inside fit: Dropout drops, BatchNormalization uses batch statistics. */
  training: boolean;
  /** Where layers put the losses they add during the call (activity regularization). */
  losses?: tfc.Tensor[];
  /** The batch's input data in a training step: no gradient is needed with respect to these. */
  dataInputs?: Set<tfc.Tensor>;
  /**
   * True when a model runs the layer and its outputs are not the model's outputs, so no loss reads
   * their logits (a sigmoid Dense may then fuse its activation).
   */
  hidden?: boolean;
}

export type LayerConfig = Record<string, unknown> & { name: string; trainable: boolean };

export abstract class Layer {
  /** The class name Keras would show ('Dense'); used by summary and serialization. */
  abstract readonly className: string;
  readonly name: string;
  readonly dtype: tfc.DataType;
  /** The input shape given in the constructor (batch dimension first), if any. */
  readonly batchInputShape: Shape | undefined;
  built = false;
  private trainableFlag: boolean;
  private readonly ownWeights: Weight[] = [];
  /** The input shape(s) this layer was built for; calls are checked against it. */
  protected builtInputShape: Shape | Shape[] | undefined;
  readonly activityRegularizer: Regularizer | undefined;

  constructor(args: LayerArgs = {}) {
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw new ValueError(`${new.target.name}: \`name\` must be a non-empty string, got ${JSON.stringify(args.name)}.`);
    }
    this.name = args.name ?? uniqueName(toSnakeCase(new.target.name));
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${new.target.name} '${this.name}': activityRegularizer`);
    if (args.inputShape !== undefined) this.batchInputShape = [null, ...checkShape(args.inputShape, this.name, 'inputShape')];
    else if (args.batchInputShape !== undefined) this.batchInputShape = checkShape(args.batchInputShape, this.name, 'batchInputShape');
  }

  /** When false, fit leaves every weight of this layer unchanged. */
  get trainable(): boolean {
    return this.trainableFlag;
  }
  set trainable(value: boolean) {
    this.trainableFlag = value;
  }

  /** Creates the weights for inputs of `inputShape`. Called once, by `apply`. */
  build(inputShape: Shape | Shape[]): void {
    void inputShape;
  }

  /** Computes the outputs. Runs inside `tidy`; must not dispose its inputs. */
  abstract call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[];

  /** The output shape(s) for inputs of `inputShape`, without computing anything. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /** Applies the layer to a symbolic tensor (building a functional graph) and returns its output. */
  apply(inputs: SymbolicTensor | SymbolicTensor[], ctx?: Partial<CallContext>): SymbolicTensor;
  /** Applies the layer to real tensors and returns the result, owned by the caller. */
  apply(inputs: tfc.Tensor | tfc.Tensor[], ctx?: Partial<CallContext>): tfc.Tensor;
  apply(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    ctx: Partial<CallContext> = {},
  ): SymbolicTensor | tfc.Tensor {
    const outputs = this.applyMulti(inputs as tfc.Tensor[], ctx);
    if (outputs.length !== 1) {
      throw new ValueError(
        `${this.name}: apply() returns one output but this layer has ${outputs.length}. help: use applyMulti() to get all of them.`,
      );
    }
    return outputs[0];
  }

  /** Like apply, returning every output (for layers or models with several outputs). */
  applyMulti(inputs: SymbolicTensor | SymbolicTensor[], ctx?: Partial<CallContext>): SymbolicTensor[];
  applyMulti(inputs: tfc.Tensor | tfc.Tensor[], ctx?: Partial<CallContext>): tfc.Tensor[];
  applyMulti(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    ctx: Partial<CallContext> = {},
  ): SymbolicTensor[] | tfc.Tensor[] {
    const list = (Array.isArray(inputs) ? inputs : [inputs]) as Array<SymbolicTensor | tfc.Tensor>;
    const symbolic = list.filter((t) => t instanceof SymbolicTensor).length;
    if (symbolic > 0 && symbolic < list.length) {
      throw new ValueError(`${this.name}: inputs mix symbolic tensors (from Input) and real tensors. help: pass one kind.`);
    }
    if (symbolic > 0) return this.applySymbolic(list as SymbolicTensor[]);
    const tensors = list as tfc.Tensor[];
    return this.callOnTensors(Array.isArray(inputs) ? tensors : tensors[0], { training: ctx.training ?? false });
  }

  /** Builds (once), checks shapes, and runs `call` in a tidy scope. For models and apply(). */
  callOnTensors(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor[] {
    const shapes: Shape[] = (Array.isArray(inputs) ? inputs : [inputs]).map((t) => t.shape);
    const inShape = Array.isArray(inputs) ? shapes : shapes[0];
    this.ensureBuilt(Array.isArray(inputs) ? shapes.map(batchless) : batchless(shapes[0]));
    this.checkInputShape(inShape);
    // Inside a training or test step (ctx.losses is given, and a tidy scope encloses the step) the
    // logits behind softmax/sigmoid outputs are kept alive for the loss; elsewhere they are freed.
    const inStep = ctx.losses !== undefined;
    const regularize = this.activityRegularizer !== undefined && inStep;
    let count = 0;
    const result = tfc.tidy(() => {
      const out = this.call(inputs, ctx);
      const list = Array.isArray(out) ? out : [out];
      count = list.length;
      const extra = inStep ? list.map((o) => logitsOf(o, 'softmax') ?? logitsOf(o, 'sigmoid')).filter((t): t is tfc.Tensor => t !== undefined) : [];
      if (regularize) extra.push(tfc.addN(list.map((o) => (this.activityRegularizer as Regularizer).call(o))));
      return [...list, ...extra];
    });
    if (regularize) (ctx.losses as tfc.Tensor[]).push(result[result.length - 1]);
    return result.slice(0, count);
  }

  private applySymbolic(inputs: SymbolicTensor[]): SymbolicTensor[] {
    const shapes = inputs.map((t) => t.shape);
    const inShape = inputs.length === 1 ? shapes[0] : shapes;
    this.ensureBuilt(inShape);
    this.checkInputShape(inShape);
    const out = this.computeOutputShape(inShape);
    const outShapes = isShapeList(out) ? out : [out];
    const node = new Node(this, inputs);
    node.outputs = outShapes.map(
      (s, i) => new SymbolicTensor(s, this.dtype, node, i, outShapes.length === 1 ? this.name : `${this.name}_${i}`),
    );
    return node.outputs;
  }

  private ensureBuilt(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.build(inputShape);
    this.builtInputShape = inputShape;
    this.built = true;
  }

  /**
   * The axes (negative: from the end) whose size must stay what the layer was built for, as Keras's
   * InputSpec: by default the last (features or channels); other axes, such as a sequence length or
   * an image size, may vary from call to call. A layer whose input rank is free returns null.
   */
  protected get fixedAxes(): number[] | null {
    return [-1];
  }

  /** Refuses inputs whose rank or fixed axes differ from those the layer was built for. */
  protected checkInputShape(shape: Shape | Shape[]): void {
    const expected = this.builtInputShape;
    const axes = this.fixedAxes;
    if (expected === undefined || axes === null) return;
    const given = isShapeList(shape) ? shape : [shape];
    const wanted = isShapeList(expected) ? expected : [expected];
    const bad = given.length !== wanted.length || given.some((s, i) => !shapesCompatible(s, wanted[i], axes));
    if (bad) {
      throw new ValueError(
        `${this.name} (${this.className}): expected input of shape ${wanted.map(formatShape).join(', ')}, ` +
          `got ${given.map(formatShape).join(', ')}. help: reshape the data to match, or build the layer for this shape.`,
      );
    }
  }

  /** Creates a weight with the options given; only `build` should call this. */
  protected addWeight(args: WeightArgs): Weight {
    const weight = new Weight({ ...args, name: `${this.name}/${args.name}` });
    this.ownWeights.push(weight);
    return weight;
  }

  /** All weights, trainable first, as Keras orders them. Models override this to gather their layers'. */
  get weights(): Weight[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  get trainableWeights(): Weight[] {
    return this.trainable ? this.ownWeights.filter((w) => w.trainable) : [];
  }

  get nonTrainableWeights(): Weight[] {
    return this.trainable ? this.ownWeights.filter((w) => !w.trainable) : [...this.ownWeights];
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the weights' values, in `weights` order; the caller owns them. */
  getWeights(): tfc.Tensor[] {
    return this.weights.map((w) => w.read());
  }

  /** Sets the weights' values from tensors or nested arrays, in `getWeights()` order. */
  setWeights(values: Array<tfc.Tensor | tfc.TensorLike>): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new ValueError(
        `${this.name}: setWeights got ${values.length} arrays for ${weights.length} weights ` +
          `(${weights.map((w) => `${w.name} [${w.shape}]`).join(', ')}). help: pass one array per weight, in getWeights() order.`,
      );
    }
    // Check every shape before assigning any, so a bad list changes nothing.
    const tensors = values.map((v, i) => (v instanceof tfc.Tensor ? v : tfc.tensor(v, undefined, weights[i].dtype)));
    try {
      const bad = tensors.findIndex((t, i) => !tfc.util.arraysEqual(t.shape, weights[i].shape));
      if (bad >= 0) {
        throw new ValueError(
          `${this.name}: setWeights got shape [${tensors[bad].shape}] for weight '${weights[bad].name}' of shape ` +
            `[${weights[bad].shape}]. help: pass values in the order and shapes that getWeights() returns.`,
        );
      }
      tensors.forEach((t, i) => weights[i].assign(t));
    } finally {
      tensors.forEach((t, i) => t !== values[i] && t.dispose());
    }
  }

  /** The arguments that recreate this layer with `fromConfig`. Subclasses add theirs. */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.activityRegularizer) config.activityRegularizer = serializeRegularizer(this.activityRegularizer);
    if (this.batchInputShape !== undefined) config.batchInputShape = this.batchInputShape;
    return config;
  }

  /** Frees the weights' memory. The layer can still be used: weights are re-initialized on use. */
  dispose(): void {
    this.ownWeights.forEach((w) => w.dispose());
  }
}

function batchless(shape: Shape): Shape {
  return [null, ...shape.slice(1)];
}

function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

function shapesCompatible(given: Shape, wanted: Shape, axes: number[]): boolean {
  if (given.length !== wanted.length) return false;
  return axes.every((a) => {
    const i = a < 0 ? given.length + a : a;
    return i <= 0 || given[i] === null || wanted[i] === null || given[i] === wanted[i];
  });
}

function checkShape(shape: Shape, name: string, field: string): Shape {
  const ok = Array.isArray(shape) && shape.every((d) => d === null || (Number.isInteger(d) && d > 0));
  if (!ok) {
    throw new ValueError(
      `${name}: \`${field}\` must be a list of positive integers (or null), got ${JSON.stringify(shape)}. help: pass e.g. {${field}: [784]}.`,
    );
  }
  return [...shape];
}
