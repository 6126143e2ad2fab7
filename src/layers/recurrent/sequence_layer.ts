/**
 * A layer whose inputs are a sequence (batch, steps, features), optionally followed by initial
 * states given as the call option `initialState`: built and checked on the sequence alone, since
 * initial states may come with one call and not the next. RNN and Bidirectional are such layers;
 * their call receives the list [x, ...initialStates].
 */
import { MultiInputLayer } from '../../engine/multi_input_layer';
import type { Shape } from '../../engine/symbolic_tensor';

export abstract class SequenceLayer extends MultiInputLayer {
  protected override get callOptionKeys(): readonly string[] {
    return ['initialState'];
  }

  override ensureBuilt(inputShape: Shape | Shape[]): void {
    super.ensureBuilt(sequenceOf(inputShape));
  }

  protected override checkInputShape(shape: Shape | Shape[]): void {
    super.checkInputShape(sequenceOf(shape));
  }
}

/** The sequence's shape among a recurrent layer's input shapes ([x, ...initialStates] or x). */
export function sequenceOf(shape: Shape | Shape[]): Shape {
  return (Array.isArray(shape[0]) ? shape[0] : shape) as Shape;
}
