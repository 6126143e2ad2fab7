/**
 * Keras 3's `jvp(fun, primals, tangents, hasAux = false)`: the forward-mode Jacobian-vector product
 * J(primals) . tangents, by the double-backward trick (tfjs-core has reverse mode only): for a
 * cotangent u, g(u) = J^T u is linear in u, so J t = d/du <g(u), t>. It needs `fun`'s ops to have
 * differentiable gradients (tfjs-core's elementwise, matmul, reductions and most others do; an op
 * whose gradient is not itself differentiable gives a zero or an error), and costs two backward passes.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { run, toTensor, type TensorInput } from './tensor_input';

type Out = tfc.Tensor | tfc.Tensor[];

/** [primalsOut, tangentsOut] (and aux when `hasAux`; `fun` then returns [out, aux]). Outputs a tensor or a list of tensors, as `fun`'s. */
export function jvp(fun: (...args: tfc.Tensor[]) => Out | [Out, unknown], primals: TensorInput[], tangents: TensorInput[], hasAux = false): [Out, Out] | [Out, Out, unknown] {
  if (primals.length !== tangents.length) {
    throw new ValueError(`ops.jvp: ${primals.length} primals but ${tangents.length} tangents. help: pass one tangent per primal, of the same shape.`);
  }
  let aux: unknown;
  let single = true;
  let first = true;
  const call = (xs: tfc.Tensor[]): tfc.Tensor[] => {
    const r = fun(...xs);
    const out = hasAux ? (r as [Out, unknown])[0] : (r as Out);
    if (first) {
      first = false;
      single = !Array.isArray(out);
      aux = hasAux ? (r as [Out, unknown])[1] : undefined;
      if (aux instanceof tfc.Tensor) tfc.keep(aux);
    }
    return Array.isArray(out) ? out : [out];
  };
  const result = run(() => {
    const xs = primals.map((p) => toTensor(p, 'float32'));
    const ts = tangents.map((t, i) => {
      const tt = toTensor(t, 'float32');
      if (tt.shape.join() !== xs[i].shape.join()) throw new ValueError(`ops.jvp: tangent ${i} has shape [${tt.shape}] but its primal [${xs[i].shape}]. help: pass tangents shaped like the primals.`);
      return tt;
    });
    const outs = call(xs);
    const us = outs.map((o) => tfc.zerosLike(o)); // g is linear in u: any point works
    const tangentsOut = tfc.grads((...uvars: tfc.Tensor[]) => {
      const gs = tfc.grads((...xvars: tfc.Tensor[]) => tfc.addN(call(xvars).map((o, i) => tfc.sum(tfc.mul(o, uvars[i])))))(xs);
      return tfc.addN(gs.map((g, i) => tfc.sum(tfc.mul(g, ts[i]))));
    })(us);
    return [...outs, ...tangentsOut];
  });
  const n = result.length / 2;
  const [pOut, tOut] = [result.slice(0, n), result.slice(n)];
  const pack = (xs: tfc.Tensor[]): Out => (single ? xs[0] : xs);
  return hasAux ? [pack(pOut), pack(tOut), aux] : [pack(pOut), pack(tOut)];
}
