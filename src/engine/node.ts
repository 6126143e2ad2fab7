import type { CallArgs } from './call_args';
import type { Layer } from './layer';
import type { SymbolicTensor } from './symbolic_tensor';

/** One call of a layer on symbolic inputs: an edge bundle of the functional graph. */
export class Node {
  outputs: SymbolicTensor[] = [];
  /** A call of one input with no options (most nodes): the graph runs it without resolving options or masks by name. */
  readonly plain: boolean;
  constructor(
    readonly layer: Layer,
    /** Every tensor the call reads: its positional inputs, then the tensors among its options. */
    readonly inputs: SymbolicTensor[],
    /** The call's options (Keras's call kwargs); a tensor option names its place in `inputs`. */
    readonly args: CallArgs = {},
    /** How many of `inputs` are positional (the rest are tensor options). */
    readonly positional: number = inputs.length,
  ) {
    this.plain = inputs.length === 1 && positional === 1 && Object.keys(args).length === 0;
  }
}
