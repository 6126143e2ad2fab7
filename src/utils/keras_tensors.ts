/**
 * Keras's `is_keras_tensor` and `get_source_inputs` for functional models: a SymbolicTensor is a
 * Keras tensor, and its source inputs are the Input tensors its history starts from.
 */
import { InputLayer } from '../engine/input_layer';
import { SymbolicTensor } from '../engine/symbolic_tensor';
import { ValueError } from '../engine/errors';

/** Whether `x` is a symbolic (functional-model) tensor, as Keras's is_keras_tensor. */
export function isKerasTensor(x: unknown): x is SymbolicTensor {
  return x instanceof SymbolicTensor;
}

/** The Input tensors `tensor` is computed from, each once, in the order first met (Keras's get_source_inputs). */
export function getSourceInputs(tensor: SymbolicTensor): SymbolicTensor[] {
  if (!isKerasTensor(tensor)) {
    throw new ValueError(`getSourceInputs: expected a symbolic tensor (the output of a layer called on k.Input), got ${describe(tensor)}. help: pass e.g. layer.apply(k.Input({shape: [3]})).`);
  }
  const found = new Map<number, SymbolicTensor>();
  const seen = new Set<number>();
  const visit = (t: SymbolicTensor): void => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    if (t.node.layer instanceof InputLayer || t.node.inputs.length === 0) {
      found.set(t.id, t);
      return;
    }
    t.node.inputs.forEach(visit);
  };
  visit(tensor);
  return [...found.values()];
}

function describe(x: unknown): string {
  if (x !== null && typeof x === 'object') return `a ${(x as object).constructor?.name ?? 'object'}`;
  return String(x);
}
