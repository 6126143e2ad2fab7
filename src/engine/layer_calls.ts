/** A layer's calls in functional graphs (its inbound nodes), read as Keras's layer.input/output do. */
import { ValueError } from './errors';
import type { Node } from './node';
import type { SymbolicTensor } from './symbolic_tensor';

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
