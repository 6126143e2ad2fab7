/**
 * A stack of layers, each feeding the next. It is a thin list: whenever the input shape is known
 * (from the first layer's inputShape, an Input in the list, or the first data seen), it defines the
 * functional graph of the list and everything else is the functional Model's.
 */
import { DataInput, toTensors } from '../data/convert';
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { InputLayer } from '../engine/input_layer';
import { Layer, LayerConfig } from '../engine/layer';
import { isShapeList } from '../engine/shape_utils';
import { Shape, SymbolicTensor } from '../engine/symbolic_tensor';
import { Model } from './model';
import { savingApi } from './saving_link';

export interface SequentialArgs {
  /**
   * The layers in order (an Input's tensor may come first, to give the input shape). Keras: `layers` @default [] (add
   * them with add())
   */
  layers?: Array<Layer | SymbolicTensor>;
  /** The model's name. Keras: `name` @default 'sequential', 'sequential_1', ... */
  name?: string;
}

const SEQUENTIAL_KEYS = optionKeys<SequentialArgs>()('layers', 'name');

export class Sequential extends Model {
  override readonly className = 'Sequential';
  private readonly stack: Layer[] = [];
  private inputLayer: InputLayer | null = null;
  /** The output of each layer of the stack, once the input shape is known (each layer is called once). */
  private readonly tensors: SymbolicTensor[] = [];

  constructor(args: SequentialArgs | Array<Layer | SymbolicTensor> = {}) {
    const opts = Array.isArray(args) ? { layers: args } : args;
    checkOptions('Sequential', opts, SEQUENTIAL_KEYS);
    super({ name: opts.name });
    for (const layer of opts.layers ?? []) this.add(layer);
  }

  /** Appends a layer (or an Input, as the first item). */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.node.layer instanceof InputLayer) || this.stack.length > 0 || this.inputLayer !== null) {
        throw new ValueError(`${this.name}.add: only an Input() may be given as a tensor, and only first. help: add layers, e.g. new Dense({units: 10}).`);
      }
      this.inputLayer = layer.node.layer;
      this.redefine();
      return;
    }
    if (!(layer instanceof Layer)) {
      throw new ValueError(`${this.name}.add: expected a Layer, got ${String(layer)}. help: e.g. model.add(new k.layers.Dense({units: 10})).`);
    }
    if (layer instanceof InputLayer) {
      this.add(layer.output);
      return;
    }
    if (this.stack.includes(layer)) {
      throw new ValueError(`${this.name}.add: layer '${layer.name}' is already in the model. help: create a new layer instance.`);
    }
    this.stack.push(layer);
    try {
      this.redefine();
    } catch (e) {
      this.stack.pop(); // leave the model as it was
      throw e;
    }
  }

  /** Removes and returns the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (layer === undefined) throw new ValueError(`${this.name}.pop: the model has no layers.`);
    if (this.tensors.length > this.stack.length) this.tensors.pop();
    if (this.inputLayer !== null && this.tensors.length > 0) this.setGraph([this.inputLayer.output], [this.tensors[this.tensors.length - 1]]);
    return layer;
  }

  /** The layers in order (without the input layer, as in Keras). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** The output is named after the last layer, known even before the input shape is. */
  override get outputNames(): string[] {
    if (this.isDefined) return super.outputNames;
    const last = this.stack[this.stack.length - 1];
    if (last === undefined) throw new ValueError(`${this.name}: the model has no layers. help: add layers before compile.`);
    return [last.name];
  }

  /** Calls each layer not yet called on the previous output, and defines the graph (once the input shape is known). */
  private redefine(): void {
    if (this.inputLayer === null && this.stack.length > 0 && this.stack[0].batchInputShape !== undefined) {
      this.inputLayer = new InputLayer({ batchShape: this.stack[0].batchInputShape, name: `${this.name}_input` });
    }
    if (this.inputLayer === null || this.stack.length === 0) return;
    const added: SymbolicTensor[] = [];
    try {
      for (let i = this.tensors.length; i < this.stack.length; i++) {
        const previous = i === 0 ? this.inputLayer.output : (added[added.length - 1] ?? this.tensors[i - 1]);
        added.push(this.stack[i].apply(previous));
      }
    } catch (e) {
      // Forget the calls of this attempt, so the layers keep one call each.
      for (const t of added) t.node.layer.inboundNodes.splice(t.node.layer.inboundNodes.indexOf(t.node), 1);
      throw e;
    }
    this.tensors.push(...added);
    this.setGraph([this.inputLayer.output], [this.tensors[this.tensors.length - 1]]);
  }

  /**
   * The config as Keras 3 writes it: the name and the list of layers, the input layer first once the
   * input shape is known.
   */
  override getConfig(): LayerConfig {
    const input = this.inputLayer === null ? [] : [{ className: 'InputLayer', config: this.inputLayer.getConfig() }];
    const layers = [...input, ...this.stack.map((l) => ({ className: l.className, config: l.getConfig() }))];
    return { name: this.name, trainable: this.trainable, layers };
  }

  /** A Sequential model from its config (with fresh weights). Custom layers must be registered. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const where = `Sequential.fromConfig '${String(config?.name ?? '')}'`;
    const specs = (config as { layers?: unknown }).layers;
    if (!Array.isArray(specs)) throw new ValueError(`${where}: the config needs a \`layers\` list. help: pass the output of model.getConfig().`);
    const model = new this({ name: config.name } as never) as unknown as Sequential;
    for (const spec of specs as Array<{ className: string; config: LayerConfig }>) {
      const layer = savingApi().layerFromConfig(spec, where);
      model.add(layer instanceof InputLayer ? layer.output : layer);
    }
    if (config.trainable === false) model.trainable = false;
    return model as unknown as T;
  }

  protected override buildFromData(x: DataInput): void {
    if (this.isDefined) return;
    if (this.stack.length === 0) throw new ValueError(`${this.name}: the model has no layers. help: add layers before fit or predict.`);
    const { tensors, owned } = toTensors(x, { what: 'x', names: ['input'], shapes: [[null]] });
    const shape = tensors[0].shape;
    owned.forEach((t) => t.dispose());
    this.build(shape);
  }

  /**
   * As Keras's Sequential.build: a model with no input shape yet is defined for `inputShape` (batch
   * axis first). Calling the model on a tensor (`model.apply(x)`) builds it so, as fit and predict do.
   */
  override build(inputShape: Shape | Shape[]): void {
    if (this.isDefined || this.stack.length === 0 || isShapeList(inputShape)) return super.build(inputShape);
    this.inputLayer = new InputLayer({ shape: inputShape.slice(1), name: `${this.name}_input` });
    this.redefine();
  }
}
