/**
 * A layer call's own options (Keras's call keyword arguments): `mask`, `initialState`,
 * `attentionMask`, `returnAttentionScores`, ... In a functional graph an option that is a tensor
 * is an edge of the graph like an input, so the node lists it after its positional inputs and the
 * options keep, in its place, which of the node's inputs it is.
 */

/** The options of one call, as given to apply (tensors included) or stored on a node. */
export type CallArgs = Record<string, unknown>;

/** Where a tensor option sits among a node's inputs. */
interface TensorRef {
  readonly nodeInput: number;
}

function isRef(x: unknown): x is TensorRef {
  return typeof x === 'object' && x !== null && typeof (x as TensorRef).nodeInput === 'number' && Object.keys(x).length === 1;
}

/**
 * Moves the tensors out of `args` (top-level values or list items) into a list, numbering them
 * from `first`; the returned options name each by its place.
 */
export function splitTensorArgs<T>(args: CallArgs, isTensor: (x: unknown) => x is T, first: number): { args: CallArgs; tensors: T[] } {
  const tensors: T[] = [];
  const take = (v: unknown): unknown => {
    if (!isTensor(v)) return v;
    tensors.push(v);
    return { nodeInput: first + tensors.length - 1 } satisfies TensorRef;
  };
  const out: CallArgs = {};
  for (const [key, value] of Object.entries(args)) out[key] = Array.isArray(value) ? value.map(take) : take(value);
  return { args: out, tensors };
}

/** The options with each tensor reference replaced by that input of the node. */
export function resolveTensorArgs<T>(args: CallArgs, inputs: T[]): CallArgs {
  const put = (v: unknown): unknown => (isRef(v) ? inputs[v.nodeInput] : v);
  const out: CallArgs = {};
  for (const [key, value] of Object.entries(args)) out[key] = Array.isArray(value) ? value.map(put) : put(value);
  return out;
}
