/**
 * The functional graph of a model as callbacks and pictures see it: the layer calls in an order
 * where each comes after those that feed it. Used by the TensorBoard graph and by plotModel.
 */
import { InputLayer } from '../engine/input_layer';
import type { Layer } from '../engine/layer';
import type { Node } from '../engine/node';
import type { SymbolicTensor } from '../engine/symbolic_tensor';

/** What a model offers for drawing: its name, inputs, outputs (symbolic tensors) and layers. */
export interface GraphModel {
  readonly name: string;
  readonly className: string;
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  readonly layers: Layer[];
  /** The layer calls of the graph in order, input layers excluded. */
  readonly graphNodes: Node[];
}

/** True for a model whose graph is defined (a Sequential without an input shape is not, until first data). */
export function isGraphModel(x: unknown): x is GraphModel {
  if (x === null || typeof x !== 'object') return false;
  const m = x as { isDefined?: boolean; inputs?: unknown; layers?: unknown };
  if (m.isDefined === false) return false;
  try {
    return Array.isArray(m.inputs) && Array.isArray((x as GraphModel).outputs) && Array.isArray(m.layers);
  } catch {
    return false;
  }
}

/** Every layer call once, inputs first, each after the calls that feed it. */
export function graphNodes(model: GraphModel): Node[] {
  return [...new Set(model.inputs.map((t) => t.node)), ...model.graphNodes];
}

export function isInputNode(node: Node): boolean {
  return node.layer instanceof InputLayer;
}

/** A nested model used as a layer, whose graph can be expanded. */
export function nestedModel(layer: Layer): GraphModel | null {
  return layer !== null && isGraphModel(layer) && (layer as unknown as GraphModel).inputs.length > 0 ? (layer as unknown as GraphModel) : null;
}
