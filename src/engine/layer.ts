/**
 * The base of every layer. A layer computes outputs from inputs (`call`), creates its weights in
 * `build` on first use, and says what shape it outputs (`computeOutputShape`). `apply` is the only
 * caller of `build`: given symbolic tensors it adds a node to a functional graph; given real
 * tensors it computes.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { CallArgs, splitTensorArgs } from './call_args';
import { RuntimeError, ValueError } from './errors';
import { MaskArg, maskList, warnMaskDropped } from './masking';
import { takeName, toSnakeCase, uniqueName } from './naming';
import { checkClassOptions, checkOptions, optionKeys } from './options';
import { Node } from './node';
import { onlyCall, outputsOfCall } from './layer_calls';
import { inferOutputShape } from './shape_inference';
import { batchless, checkShape, isShapeList, shapesCompatible } from './shape_utils';
import { AddWeightArgs, makeWeight } from './add_weight';
import { formatShape, Shape, SymbolicTensor } from './symbolic_tensor';
import { Weight } from './weight';
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
  /** The batch's input data in a training step: no gradient is needed with respect to these (read by models/fusion.ts). */
  dataInputs?: Set<tfc.Tensor>;
  /** The inputs' mask (one per input for a list of inputs; null where none), as Keras's `mask`. */
  mask?: MaskArg;
  /** The call's own options besides training and mask (see callOptionKeys), tensors resolved. */
  args?: CallArgs;
}

type AnyTensor = tfc.Tensor | SymbolicTensor;

/** A computation run in place of a layer's `call` (a graph's fused kernel). */
export type LayerCompute = (inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext) => tfc.Tensor | tfc.Tensor[];

/** What apply takes besides the inputs: the training flag, a mask, and the layer's own call options. */
export interface ApplyOptions {
  /** Run as in training (Dropout drops). @default false */
  training?: boolean;
  /** The inputs' mask, instead of the one carried from the layers before. */
  mask?: AnyTensor | null | Array<AnyTensor | null>;
  /** A layer's own call options (e.g. MultiHeadAttention's `returnAttentionScores`). */
  [option: string]: unknown;
}

export type { AddWeightArgs } from './add_weight';

export type LayerConfig = Record<string, unknown> & { name: string; trainable: boolean };

/** The options every layer takes; a layer class lists its own in `static optionKeys`, checked on construction. */
export const LAYER_KEYS = optionKeys<LayerArgs>()('name', 'trainable', 'inputShape', 'batchInputShape', 'dtype', 'activityRegularizer');

export abstract class Layer {
  /** The class name Keras would show ('Dense'); used by summary and serialization. */
  abstract readonly className: string;
  readonly name: string;
  readonly dtype: tfc.DataType;
  /** The input shape given in the constructor (batch dimension first), if any. */
  readonly batchInputShape: Shape | undefined;
  built = false;
  private trainableFlag: boolean;
  private disposed = false;
  private readonly inferredShapes = new Map<string, Shape | Shape[]>();
  private readonly ownWeights: Weight[] = [];
  /** This layer's calls on symbolic tensors, in order: one node per call (a shared layer has several). */
  readonly inboundNodes: Node[] = [];
  /** The input shape(s) this layer was built for; calls are checked against it. */
  protected builtInputShape: Shape | Shape[] | undefined;
  readonly activityRegularizer: Regularizer | undefined;
  /** Whether the layer takes a mask and passes one on (computeMask), as Keras's supports_masking. */
  supportsMasking = false;

  static readonly optionKeys: readonly string[] = LAYER_KEYS;

  /**
   * `given` is the options object the user passed, when a subclass rewrites it before passing it
   * on (DepthwiseConv2D): unknown keys are refused there.
   */
  constructor(args: LayerArgs = {}, given: unknown = args) {
    checkClassOptions(new.target, new.target.name, given);
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw new ValueError(`${new.target.name}: \`name\` must be a non-empty string, got ${JSON.stringify(args.name)}.`);
    }
    if (args.name !== undefined) takeName(args.name);
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

  /**
   * The output shape(s) for inputs of `inputShape` (and the call's options). Layers say it without
   * computing anything; for a layer that does not (a user's layer), it is inferred once per input
   * shape by calling it on zeros.
   */
  computeOutputShape(inputShape: Shape | Shape[], args?: CallArgs): Shape | Shape[] {
    void args;
    const key = JSON.stringify(inputShape);
    const known = this.inferredShapes.get(key);
    if (known !== undefined) return known;
    const shape = inferOutputShape(this, inputShape);
    this.inferredShapes.set(key, shape);
    return shape;
  }

  /**
   * The output mask(s) for these inputs and input mask(s), for a layer that supports masking: by
   * default the input mask, passed on. Runs inside the call's tidy scope.
   */
  computeMask(inputs: tfc.Tensor | tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    void inputs;
    return mask ?? null;
  }

  /** The names of the call options this layer reads from `ctx.args`; apply refuses others. */
  protected get callOptionKeys(): readonly string[] {
    return [];
  }

  /** `call`, and the output masks when the layer supports masking. Model overrides it to run its graph once for both. */
  protected callWithMask(
    inputs: tfc.Tensor | tfc.Tensor[],
    ctx: CallContext,
    compute?: LayerCompute,
  ): { outputs: tfc.Tensor | tfc.Tensor[]; masks: MaskArg } {
    const outputs = compute === undefined ? this.call(inputs, ctx) : compute(inputs, ctx);
    return { outputs, masks: this.supportsMasking ? this.computeMask(inputs, ctx.mask) : null };
  }

  /** Applies the layer to a symbolic tensor (building a functional graph) and returns its output. */
  apply(inputs: SymbolicTensor | SymbolicTensor[], options?: ApplyOptions): SymbolicTensor;
  /** Applies the layer to real tensors and returns the result, owned by the caller. */
  apply(inputs: tfc.Tensor | tfc.Tensor[], options?: ApplyOptions): tfc.Tensor;
  apply(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    options: ApplyOptions = {},
  ): SymbolicTensor | tfc.Tensor {
    const outputs = this.applyMulti(inputs as tfc.Tensor[], options);
    if (outputs.length !== 1) {
      throw new ValueError(
        `${this.name}: apply() returns one output but this layer has ${outputs.length}. help: use applyMulti() to get all of them.`,
      );
    }
    return outputs[0];
  }

  /** Like apply, returning every output (for layers or models with several outputs). */
  applyMulti(inputs: SymbolicTensor | SymbolicTensor[], options?: ApplyOptions): SymbolicTensor[];
  applyMulti(inputs: tfc.Tensor | tfc.Tensor[], options?: ApplyOptions): tfc.Tensor[];
  applyMulti(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    options: ApplyOptions = {},
  ): SymbolicTensor[] | tfc.Tensor[] {
    this.assertUsable('apply');
    const { training, ...callOptions } = options ?? {};
    checkOptions(`${this.name} (${this.className}): apply`, callOptions, ['training', 'mask', ...this.callOptionKeys]);
    const list = (Array.isArray(inputs) ? inputs : [inputs]) as Array<SymbolicTensor | tfc.Tensor>;
    const symbolic = list.filter((t) => t instanceof SymbolicTensor).length;
    if (symbolic > 0 && symbolic < list.length) {
      throw new ValueError(`${this.name}: inputs mix symbolic tensors (from Input) and real tensors. help: pass one kind.`);
    }
    if (symbolic > 0) return this.applySymbolic(list as SymbolicTensor[], callOptions);
    const tensors = list as tfc.Tensor[];
    const { mask, ...args } = callOptions;
    return this.callOnTensors(Array.isArray(inputs) ? tensors : tensors[0], { training: training ?? false, mask: mask as MaskArg, args });
  }

  /** Builds (once), checks shapes, and runs `call` in a tidy scope. For models and apply(). */
  callOnTensors(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor[] {
    return this.run(inputs, ctx, false).outputs;
  }

  /**
   * As callOnTensors, also returning the output masks (one per output, null where none). For graphs,
   * which may pass a fused computation to run in place of `call` (models/fusion.ts).
   */
  callMasked(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext, compute?: LayerCompute): { outputs: tfc.Tensor[]; masks: Array<tfc.Tensor | null> } {
    return this.run(inputs, ctx, true, compute);
  }

  private run(
    inputs: tfc.Tensor | tfc.Tensor[],
    ctx: CallContext,
    withMasks: boolean,
    compute?: LayerCompute,
  ): { outputs: tfc.Tensor[]; masks: Array<tfc.Tensor | null> } {
    this.assertUsable('call');
    const shapes: Shape[] = (Array.isArray(inputs) ? inputs : [inputs]).map((t) => t.shape);
    const inShape = Array.isArray(inputs) ? shapes : shapes[0];
    this.ensureBuilt(Array.isArray(inputs) ? shapes.map(batchless) : batchless(shapes[0]));
    this.checkInputShape(inShape);
    // Inside a training or test step (ctx.losses is given, and a tidy scope encloses the step) the
    // logits behind softmax/sigmoid outputs are kept alive for the loss; elsewhere they are freed.
    const inStep = ctx.losses !== undefined;
    const regularize = this.activityRegularizer !== undefined && inStep;
    if (withMasks && !this.supportsMasking && [ctx.mask ?? null].flat().some((m) => m !== null)) warnMaskDropped(this);
    let count = 0;
    let maskSlots: boolean[] = [];
    const result = tfc.tidy(() => {
      const { outputs: out, masks } = withMasks ? this.callWithMask(inputs, ctx, compute) : { outputs: this.call(inputs, ctx), masks: null };
      const list = Array.isArray(out) ? out : [out];
      count = list.length;
      const outMasks = maskList(masks, count);
      maskSlots = outMasks.map((m) => m !== null);
      const extra = inStep ? list.map((o) => logitsOf(o, 'softmax') ?? logitsOf(o, 'sigmoid')).filter((t): t is tfc.Tensor => t !== undefined) : [];
      if (regularize) extra.push(tfc.addN(list.map((o) => (this.activityRegularizer as Regularizer).call(o))));
      return [...list, ...(outMasks.filter((m) => m !== null) as tfc.Tensor[]), ...extra];
    });
    if (regularize) (ctx.losses as tfc.Tensor[]).push(result[result.length - 1]);
    let next = count;
    return { outputs: result.slice(0, count), masks: maskSlots.map((has) => (has ? result[next++] : null)) };
  }

  private applySymbolic(inputs: SymbolicTensor[], options: CallArgs): SymbolicTensor[] {
    const shapes = inputs.map((t) => t.shape);
    const inShape = inputs.length === 1 ? shapes[0] : shapes;
    const { args, tensors } = splitTensorArgs(options, (x): x is SymbolicTensor => x instanceof SymbolicTensor, inputs.length);
    this.ensureBuilt(inShape);
    this.checkInputShape(inShape);
    const out = this.computeOutputShape(inShape, options);
    const outShapes = isShapeList(out) ? out : [out];
    const node = new Node(this, [...inputs, ...tensors], args, inputs.length);
    this.inboundNodes.push(node);
    node.outputs = outShapes.map(
      (s, i) => new SymbolicTensor(s, this.dtype, node, i, outShapes.length === 1 ? this.name : `${this.name}_${i}`),
    );
    return node.outputs;
  }

  /** Builds the layer for `inputShape` unless it is built. Wrappers (TimeDistributed, RNN) call it on the layers they hold. */
  ensureBuilt(inputShape: Shape | Shape[]): void {
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

  /**
   * The symbolic output of this layer's one call in a functional graph (for a feature extractor:
   * `new Model({inputs: base.inputs, outputs: base.getLayer('flatten').output})`).
   */
  get output(): SymbolicTensor {
    return onlyCall(this, 'output');
  }

  /** The symbolic input of this layer's one call. */
  get input(): SymbolicTensor {
    return onlyCall(this, 'input');
  }

  /** The shape of `output` (batch dimension first, null where unknown). */
  get outputShape(): Shape {
    return this.output.shape;
  }

  /** The outputs of the layer's `nodeIndex`-th call (for a layer shared between several calls). */
  getOutputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    return outputsOfCall(this, nodeIndex);
  }

  /** Creates a weight with the options given; only `build` should call this. */
  protected addWeight(args: AddWeightArgs): Weight {
    const weight = makeWeight(this.name, args);
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
    this.assertUsable('getWeights');
    return this.weights.map((w) => w.read());
  }

  /** Sets the weights' values from tensors or nested arrays, in `getWeights()` order. */
  setWeights(values: Array<tfc.Tensor | tfc.TensorLike>): void {
    this.assertUsable('setWeights');
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

  /** Frees the weights' memory. The layer cannot be used afterwards (it would have lost its trained weights). */
  dispose(): void {
    this.ownWeights.forEach((w) => w.dispose());
    this.disposed = true;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Refuses to compute with a disposed layer or model, which would otherwise start again from fresh random weights. */
  protected assertUsable(what: string): void {
    if (!this.disposed) return;
    throw new RuntimeError(
      `${this.name}.${what}: the ${this.className === 'Functional' || this.className === 'Sequential' ? 'model' : 'layer'} was disposed ` +
        'and its weights freed. help: build or load a new one (dispose only what you no longer use).',
    );
  }
}

