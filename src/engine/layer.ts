/**
 * The base of every layer. What a layer author writes (Dense is this, with a bias and an activation):
 *
 *   class Project extends Layer {
 *     static override readonly optionKeys = optionKeys<ProjectArgs>()('units', ...LAYER_KEYS);
 *     readonly className = 'Project';
 *     constructor(args: ProjectArgs) { super(args); this.units = args.units; }    // typed options
 *     override build([, n]: Shape) { this.w = this.addWeight({ name: 'kernel', shape: [n, this.units], initializer: 'glorot_uniform' }); }
 *     call(x: tfc.Tensor, ctx: CallContext) { return tfc.matMul(x, this.w.value); } // plain ops, one input
 *     override computeOutputShape([b]: Shape) { return [b, this.units]; }
 *     override getConfig() { return { ...super.getConfig(), units: this.units }; }  // = the options
 *   }
 *
 * What the base does: checks the options against optionKeys; `apply` builds on first use, checks
 * shapes, runs `call` in `tidy` and returns what call returns: one tensor, or the list for several
 * outputs (`const [out, h, c] = lstm.apply(x)`); on symbolic tensors it adds a node to a graph
 * instead. `fromConfig(config)` is `new this(config)`, overridden only where a config holds more
 * than options (a wrapper's inner layer). A layer of several inputs extends MultiInputLayer (call
 * gets the list). Penalties from `this.addLoss(t)` in call, and the activity regularizer's, go to
 * the training step's loss (`ctx.losses`). Keras's positional first arguments (`new Dense(10)`) are
 * the options listed in `static positional`, mapped by `layerArgs` (positional.ts) in the
 * constructor; a layer without them refuses anything but an options object here. Beside it:
 * call_scope.ts resolves `training`, run_call.ts runs one call in its tidy scope, layer_calls.ts
 * records and reads the calls on symbolic tensors.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { CallArgs } from './call_args';
import { addToCall, applyContext, withinCall, withOwnDefault } from './call_scope';
import { RuntimeError, ValueError } from './errors';
import { hasMask, MaskArg, warnMaskDropped } from './masking';
import { takeName, toSnakeCase, uniqueName } from './naming';
import { checkClassOptions, checkOptions } from './options';
import { refuseNonOptions } from './positional';
import { LAYER_KEYS, optionsOf } from './layer_types';
import type { ApplyOptions, CallContext, LayerArgs, LayerCompute, LayerConfig } from './layer_types';
import type { Node } from './node';
import { CallResult, runCall } from './run_call';
import { addSymbolicCall, onlyCall, outputsOfCall } from './layer_calls';
import { inferOutputShape } from './shape_inference';
import { batchless, checkShape, isShapeList, shapesCompatible } from './shape_utils';
import { AddWeightArgs, makeWeight } from './add_weight';
import { formatShape, Shape, SymbolicTensor } from './symbolic_tensor';
import { Weight } from './weight';
import { assignWeights } from './set_weights';
import { getRegularizer, Regularizer, serializeRegularizer } from '../regularizers';
import { ensureRegistered } from '../backend/backend';
import type { DTypePolicy } from '../mixed_precision/dtype_policy';
import { layerPolicy } from '../mixed_precision/global_policy';

export type { AddWeightArgs } from './add_weight';
export type { ApplyOptions, CallContext, LayerArgs, LayerCompute, LayerConfig } from './layer_types';
export { LAYER_KEYS, optionsOf };

export abstract class Layer {
  /** The class name Keras would show ('Dense'); used by summary and serialization. */
  abstract readonly className: string;
  readonly name: string;
  /** The dtype of the layer's tensors and weights (float32 under a mixed policy: tfjs-core has no float16). */
  readonly dtype: tfc.DataType;
  /** The layer's dtype policy (its name is what configs save). Keras: `dtype_policy` */
  readonly dtypePolicy: DTypePolicy;
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
  /** `training` when the layer is called alone with none given (Keras's call-signature default). */
  protected readonly trainingWhenAlone: boolean = false;

  static readonly optionKeys: readonly string[] = LAYER_KEYS;
  /**
   * The options Keras takes as its first positional arguments (`new Dense(10)`), in order; a layer
   * that lists some maps them with `layerArgs` (positional.ts) before calling `super`.
   */
  static readonly positional: readonly string[] = [];

  /**
   * `given` is the options object the user passed, when a subclass rewrites it before passing it
   * on (DepthwiseConv2D): unknown keys are refused there.
   */
  constructor(args: LayerArgs = {}, given: unknown = args) {
    ensureRegistered(); // keras-ts's first object that computes installs the backend (importing installs nothing)
    refuseNonOptions(new.target, given);
    checkClassOptions(new.target, new.target.name, given);
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw new ValueError(`${new.target.name}: \`name\` must be a non-empty string, got ${JSON.stringify(args.name)}.`);
    }
    if (args.name !== undefined) takeName(args.name);
    this.name = args.name ?? uniqueName(toSnakeCase(new.target.name));
    this.trainableFlag = args.trainable ?? true;
    this.dtypePolicy = layerPolicy(args.dtype, args.dtypePolicy, `${new.target.name} '${this.name}'`);
    this.dtype = this.dtypePolicy.tensorDtype;
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${new.target.name} '${this.name}': activityRegularizer`);
    if (args.inputShape !== undefined) this.batchInputShape = [null, ...checkShape(args.inputShape, this.name, 'inputShape')];
    else if (args.batchInputShape !== undefined) this.batchInputShape = checkShape(args.batchInputShape, this.name, 'batchInputShape');
  }

  /** The input shape(s) the layer was built for (batch dimension unknown), or undefined before it is built. */
  get buildInputShape(): Shape | Shape[] | undefined {
    return this.builtInputShape;
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

  /** Computes the outputs, inside `tidy` (never disposing its inputs): `call(x: tfc.Tensor, ctx)` for one input. */
  abstract call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[];

  /** The inputs as `call` takes them: here the one tensor (MultiInputLayer: the list; Lambda: as given). */
  protected callInputs(inputs: tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
    if (inputs.length !== 1) {
      throw new ValueError(
        `${this.name} (${this.className}): takes one input, got ${inputs.length}. ` +
          'help: apply it to one tensor; a layer of several inputs extends MultiInputLayer, whose call receives the list.',
      );
    }
    return inputs[0];
  }

  /** `call` on a list of inputs, given in the form the layer takes, its added losses dropped (for shape inference). */
  callList(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    return withinCall(ctx, () => this.call(this.callInputs(inputs), ctx)).result;
  }

  /** Adds a penalty (summed to a scalar) to the training step's loss, as Keras's add_loss; call it from `call`. */
  addLoss(loss: tfc.Tensor): void {
    addToCall(loss, `${this.name} (${this.className})`);
  }

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
   * The output mask(s) for these inputs (in the form `call` takes them) and input mask(s), for a
   * layer that supports masking: by default the input mask, passed on. Runs inside the call's tidy scope.
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

  /**
   * Applies the layer to symbolic tensors (building a functional graph). Returns what `call`
   * returns: one output, or the list of outputs for a layer with several (`const [out, h, c] =
   * lstm.apply(x)`). Typed as one tensor here; MultiInputLayer types the list form.
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], options?: ApplyOptions): SymbolicTensor;
  /** Applies the layer to real tensors: what `call` returns, owned by the caller. */
  apply(inputs: tfc.Tensor | tfc.Tensor[], options?: ApplyOptions): tfc.Tensor;
  apply(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    options: ApplyOptions = {},
  ): SymbolicTensor | tfc.Tensor | SymbolicTensor[] | tfc.Tensor[] {
    const { outputs, list } = this.applyAny(inputs, options);
    return list ? outputs : outputs[0];
  }

  /** As apply, always returning the list of outputs. */
  applyMulti(inputs: SymbolicTensor | SymbolicTensor[], options?: ApplyOptions): SymbolicTensor[];
  applyMulti(inputs: tfc.Tensor | tfc.Tensor[], options?: ApplyOptions): tfc.Tensor[];
  applyMulti(inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[], options: ApplyOptions = {}): SymbolicTensor[] | tfc.Tensor[] {
    return this.applyAny(inputs, options).outputs;
  }

  private applyAny(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    options: ApplyOptions,
  ): { outputs: SymbolicTensor[] | tfc.Tensor[]; list: boolean } {
    this.assertUsable('apply');
    const { training, ...callOptions } = options ?? {};
    checkOptions(`${this.name} (${this.className}): apply`, callOptions, ['training', 'mask', ...this.callOptionKeys]);
    const list = asList<SymbolicTensor | tfc.Tensor>(inputs);
    const symbolic = list.filter((t) => t instanceof SymbolicTensor).length;
    if (symbolic > 0 && symbolic < list.length) {
      throw new ValueError(`${this.name}: inputs mix symbolic tensors (from Input) and real tensors. help: pass one kind.`);
    }
    if (symbolic > 0) return this.applySymbolic(list as SymbolicTensor[], callOptions);
    const { mask, ...args } = callOptions;
    // Inside another layer's call (a model subclass's), training and the step's losses come from it.
    return this.run(inputs as tfc.Tensor | tfc.Tensor[], applyContext(training, mask as MaskArg, args), false);
  }

  /** Builds (once), checks shapes, and runs `call` in a tidy scope. For models and wrappers. */
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

  private run(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext, withMasks: boolean, compute?: LayerCompute): CallResult {
    this.assertUsable('call');
    ctx = withOwnDefault(ctx, this.trainingWhenAlone);
    const given = asList(inputs);
    const x = this.callInputs(given);
    const shapes: Shape[] = given.map((t) => t.shape);
    if (!this.built) this.ensureBuilt(Array.isArray(inputs) ? shapes.map(batchless) : batchless(shapes[0]));
    this.checkInputShape(Array.isArray(inputs) ? shapes : shapes[0]);
    if (withMasks && !this.supportsMasking && hasMask(ctx.mask)) warnMaskDropped(this);
    return runCall(ctx, () => {
      const out = withMasks ? this.callWithMask(x, ctx, compute) : { outputs: this.call(x, ctx), masks: null };
      const regularizer = this.activityRegularizer;
      // The activity penalty counts only inside a training or test step (ctx.losses is given).
      if (regularizer !== undefined && ctx.losses !== undefined) this.addLoss(tfc.addN(asList(out.outputs).map((o) => regularizer.call(o))));
      return out;
    });
  }

  private applySymbolic(inputs: SymbolicTensor[], options: CallArgs): { outputs: SymbolicTensor[]; list: boolean } {
    const shapes = inputs.map((t) => t.shape);
    const inShape = inputs.length === 1 ? shapes[0] : shapes;
    this.ensureBuilt(inShape);
    this.checkInputShape(inShape);
    return addSymbolicCall(this, inputs, options, this.computeOutputShape(inShape, options));
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
    assignWeights(this.name, this.weights, values);
  }

  /** The arguments that recreate this layer with `fromConfig`. Subclasses add theirs. */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainable, dtype: this.dtypePolicy.name };
    if (this.activityRegularizer) config.activityRegularizer = serializeRegularizer(this.activityRegularizer);
    if (this.batchInputShape !== undefined) config.batchInputShape = this.batchInputShape;
    return config;
  }

  /**
   * The layer a config describes: `new this(options)`, where Keras's "not set" (null) is left out.
   * A layer whose config is more than its constructor options (a wrapper's inner layer) overrides it.
   */
  static fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    return new this(optionsOf(config) as never);
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

function asList<T>(inputs: T | T[]): T[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}
