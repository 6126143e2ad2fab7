/**
 * A stack of layers, each feeding the next. It is a thin list: whenever the input shape is known
 * (from the first layer's inputShape, an Input in the list, or the first data seen), it defines the
 * functional graph of the list and everything else is the functional Model's.
 */
import { DataInput, toTensors } from '../data/adapter';
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { InputLayer } from '../engine/input_layer';
import { Layer } from '../engine/layer';
import { SymbolicTensor } from '../engine/symbolic_tensor';
import { Model } from './model';

export interface SequentialArgs {
  layers?: Array<Layer | SymbolicTensor>;
  name?: string;
}

const SEQUENTIAL_KEYS = optionKeys<SequentialArgs>()('layers', 'name');

export class Sequential extends Model {
  override readonly className = 'Sequential';
  private readonly stack: Layer[] = [];
  private input: InputLayer | null = null;

  constructor(args: SequentialArgs | Array<Layer | SymbolicTensor> = {}) {
    const opts = Array.isArray(args) ? { layers: args } : args;
    checkOptions('Sequential', opts, SEQUENTIAL_KEYS);
    super({ name: opts.name });
    for (const layer of opts.layers ?? []) this.add(layer);
  }

  /** Appends a layer (or an Input, as the first item). */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.node.layer instanceof InputLayer) || this.stack.length > 0 || this.input !== null) {
        throw new ValueError(`${this.name}.add: only an Input() may be given as a tensor, and only first. help: add layers, e.g. new Dense({units: 10}).`);
      }
      this.input = layer.node.layer;
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
    this.redefine();
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

  private redefine(): void {
    if (this.input === null && this.stack.length > 0 && this.stack[0].batchInputShape !== undefined) {
      this.input = new InputLayer({ batchShape: this.stack[0].batchInputShape, name: `${this.name}_input` });
    }
    if (this.input === null || this.stack.length === 0) return;
    let x = this.input.output;
    for (const layer of this.stack) x = layer.apply(x);
    this.setGraph([this.input.output], [x]);
  }

  protected override buildFromData(x: DataInput): void {
    if (this.isDefined) return;
    if (this.stack.length === 0) throw new ValueError(`${this.name}: the model has no layers. help: add layers before fit or predict.`);
    const { tensors, owned } = toTensors(x, { what: 'x', names: ['input'], shapes: [[null]] });
    const shape = tensors[0].shape;
    owned.forEach((t) => t.dispose());
    this.input = new InputLayer({ shape: shape.slice(1), name: `${this.name}_input` });
    this.redefine();
  }
}
