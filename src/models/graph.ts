/**
 * The functional graph between a model's inputs and outputs: the layer calls (nodes) in an order
 * where each comes after the nodes that feed it, and the code that runs them.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { InputLayer } from '../engine/input_layer';
import type { CallContext, Layer } from '../engine/layer';
import type { Node } from '../engine/node';
import { Shape, SymbolicTensor } from '../engine/symbolic_tensor';

export class Graph {
  /** Nodes in topological order, input nodes excluded. */
  readonly nodes: Node[];
  /** Every layer, each once, in the order first used (input layers first). */
  readonly layers: Layer[];
  /** The nodes that make the model's outputs. */
  private readonly outputNodes: Set<Node>;

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
    this.layers = layers;
    this.outputNodes = new Set(outputs.map((t) => t.node));
  }

  /** Runs the graph on real tensors (one per input, in order) and returns one tensor per output. */
  execute(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[] {
    const values = new Map<number, tfc.Tensor>();
    this.inputs.forEach((t, i) => values.set(t.id, inputs[i]));
    for (const node of this.nodes) {
      const args = node.inputs.map((t) => values.get(t.id) as tfc.Tensor);
      const out = node.layer.callOnTensors(args.length === 1 ? args[0] : args, this.outputNodes.has(node) ? ctx : { ...ctx, hidden: true });
      node.outputs.forEach((t, i) => values.set(t.id, out[i]));
    }
    return this.outputs.map((t) => values.get(t.id) as tfc.Tensor);
  }

  /** Output shapes for given input shapes, computed layer by layer without data. */
  outputShapes(inputShapes: Shape[]): Shape[] {
    const shapes = new Map<number, Shape>();
    this.inputs.forEach((t, i) => shapes.set(t.id, inputShapes[i]));
    for (const node of this.nodes) {
      const ins = node.inputs.map((t) => shapes.get(t.id) as Shape);
      const out = node.layer.computeOutputShape(ins.length === 1 ? ins[0] : ins);
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
