/**
 * A layer that takes a list of inputs (merge layers, attention, RNN with initial states, a model):
 * its `call` and `computeMask` receive the list, even when it was applied to one tensor. A
 * single-input layer extends Layer, whose call receives the one tensor.
 *
 * Its `apply` is typed as a list when its call is declared to return one (an RNN cell; an RNN
 * created with `returnState: true`, whose class is then RNN<true>): `const [out, h, c] = lstm.apply(x)`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ApplyOptions, CallContext, Layer } from './layer';
import type { SymbolicTensor } from './symbolic_tensor';

/** A layer whose call is declared to return a list of tensors. */
interface ListOutputs {
  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[];
}

export abstract class MultiInputLayer extends Layer {
  abstract override call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[];

  protected override callInputs(inputs: tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
    return inputs;
  }

  override apply(this: ListOutputs, inputs: SymbolicTensor | SymbolicTensor[], options?: ApplyOptions): SymbolicTensor[];
  override apply(this: ListOutputs, inputs: tfc.Tensor | tfc.Tensor[], options?: ApplyOptions): tfc.Tensor[];
  override apply(inputs: SymbolicTensor | SymbolicTensor[], options?: ApplyOptions): SymbolicTensor;
  override apply(inputs: tfc.Tensor | tfc.Tensor[], options?: ApplyOptions): tfc.Tensor;
  override apply(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    options?: ApplyOptions,
  ): SymbolicTensor | tfc.Tensor | SymbolicTensor[] | tfc.Tensor[] {
    return super.apply(inputs as tfc.Tensor, options);
  }
}
