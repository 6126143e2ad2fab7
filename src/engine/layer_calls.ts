/**
 * A layer's calls in functional graphs (its inbound nodes): recorded by apply on symbolic tensors
 * (addSymbolicCall), read as Keras's layer.input/output do.
 */
import { CallArgs, splitTensorArgs } from './call_args';
import { ValueError } from './errors';
import type { Layer } from './layer';
import { Node } from './node';
import { isShapeList } from './shape_utils';
import { Shape, SymbolicTensor } from './symbolic_tensor';

interface Called {
  readonly name: string;
  readonly className: string;
  readonly inboundNodes: Node[];
}

/** The (single) input or output of the layer's one call, or an error saying why there is none. */
export function onlyCall(layer: Called, what: 'input' | 'output'): SymbolicTensor {
  const calls = layer.inboundNodes;
  if (calls.length === 0) {
    throw new ValueError(`${layer.name} (${layer.className}): the layer has no ${what} yet: it was never called on a symbolic tensor. help: apply it in a functional model first (layer.apply(Input(...))).`);
  }
  if (calls.length > 1) {
    throw new ValueError(`${layer.name} (${layer.className}): the layer was called ${calls.length} times, so \`${what}\` is ambiguous. help: use getOutputAt(i) for its i-th call.`);
  }
  const node = calls[0];
  const tensors = what === 'input' ? node.inputs.slice(0, node.positional) : node.outputs;
  if (tensors.length !== 1) {
    throw new ValueError(`${layer.name} (${layer.className}): the layer has ${tensors.length} ${what}s, not one. help: read them from the node with getOutputAt(0).`);
  }
  return tensors[0];
}

/** The outputs of the layer's `index`-th call: one tensor, or a list for several. */
export function outputsOfCall(layer: Called, index: number): SymbolicTensor | SymbolicTensor[] {
  const node = layer.inboundNodes[index];
  if (node === undefined) {
    throw new ValueError(`${layer.name}: no call number ${index}; the layer was called ${layer.inboundNodes.length} time(s). help: use an index below ${layer.inboundNodes.length}.`);
  }
  return node.outputs.length === 1 ? node.outputs[0] : node.outputs;
}

/**
 * Records one call of `layer` on symbolic `inputs` as a new inbound node (the tensors among its
 * options become inputs of the node, after the positional ones) whose outputs have the shape(s) `out`.
 */
export function addSymbolicCall(layer: Layer, inputs: SymbolicTensor[], options: CallArgs, out: Shape | Shape[]): { outputs: SymbolicTensor[]; list: boolean } {
  const { args, tensors } = splitTensorArgs(options, (x): x is SymbolicTensor => x instanceof SymbolicTensor, inputs.length);
  const outShapes = isShapeList(out) ? out : [out];
  const node = new Node(layer, [...inputs, ...tensors], args, inputs.length);
  layer.inboundNodes.push(node);
  node.outputs = outShapes.map((s, i) => new SymbolicTensor(s, layer.dtype, node, i, outShapes.length === 1 ? layer.name : `${layer.name}_${i}`));
  return { outputs: node.outputs, list: isShapeList(out) };
}
