/**
 * The sum of a tensor over the processes, as a differentiable op (for synchronized batch
 * statistics). Forward: one allreduce of the tensor's values. Backward: the op's output feeds every
 * process's loss, so the gradient reaching this process's input is the sum of every process's
 * upstream gradient, each weighted by its share of the global batch as the gradients are (then
 * divided by this process's own weight, which the gradient allreduce multiplies back in).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { Communicator } from './communicator';
import type { Shard } from './sharding';

function summed(comm: Communicator, t: tfc.Tensor, scale: number): tfc.Tensor {
  const values = Float32Array.from(t.dataSync());
  for (let i = 0; i < values.length; i++) values[i] *= scale;
  comm.allreduceSum(values);
  return tfc.tensor(values, t.shape, 'float32');
}

/** The sum of `x` over the processes; `shard` is this process's part of the step (weight 0 adds nothing). */
export function sumOverProcesses(comm: Communicator, shard: Shard, x: tfc.Tensor): tfc.Tensor {
  const op = tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
    const input = args[0] as tfc.Tensor;
    const value = summed(comm, input, shard.weight > 0 ? 1 : 0);
    const gradFunc = (dy: tfc.Tensor): tfc.Tensor => {
      const total = summed(comm, dy, shard.weight);
      if (shard.weight === 0) {
        total.dispose();
        return tfc.zerosLike(dy);
      }
      const grad = tfc.div(total, shard.weight);
      total.dispose();
      return grad;
    };
    return { value, gradFunc };
  });
  return op(x);
}
