/**
 * Zero gradients for the comparisons and logical ops, which tfjs-core registers none for (as
 * TensorFlow marks them not differentiable, whose gradient it takes as zero). A mask computed
 * from a tensor that depends on the weights (a Masking layer after a Dense, a merged mask) lies
 * on the tape between the weights and the loss; without these, backpropagation stops with
 * "gradient function not found for NotEqual".
 */
import * as tfc from '@tensorflow/tfjs-core';

const BINARY = ['Equal', 'NotEqual', 'Greater', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr'];
const UNARY: Array<[string, string]> = [['LogicalNot', 'x'], ['Any', 'x'], ['All', 'x'], ['IsNan', 'x']];

export function registerZeroGradients(): void {
  const zeros = (t: tfc.Tensor) => (): tfc.Tensor => tfc.zeros(t.shape);
  for (const kernelName of BINARY) {
    if (tfc.getGradient(kernelName) !== undefined) continue;
    tfc.registerGradient({ kernelName, inputsToSave: ['a', 'b'], gradFunc: (_dy, [a, b]) => ({ a: zeros(a), b: zeros(b) }) });
  }
  for (const [kernelName, input] of UNARY) {
    if (tfc.getGradient(kernelName) !== undefined) continue;
    tfc.registerGradient({ kernelName, inputsToSave: [input], gradFunc: (_dy, [x]) => ({ [input]: zeros(x) }) });
  }
}
