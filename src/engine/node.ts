import type { Layer } from './layer';
import type { SymbolicTensor } from './symbolic_tensor';

/** One call of a layer on symbolic inputs: an edge bundle of the functional graph. */
export class Node {
  outputs: SymbolicTensor[] = [];
  constructor(
    readonly layer: Layer,
    readonly inputs: SymbolicTensor[],
  ) {}
}
