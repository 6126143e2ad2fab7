import * as tfc from '@tensorflow/tfjs-core';
import * as k from './src';
(async () => {
  await k.setBackend('wasm');
  const L = k.layers;
  const inputs = k.Input({ shape: [6] });
  const e = new L.Embedding({ inputDim: 10, outputDim: 8, maskZero: true }).apply(inputs);
  const a = new L.MultiHeadAttention({ numHeads: 2, keyDim: 8 }).apply([e, e]);
  const x = new L.LayerNormalization().apply(new L.Add().apply([e, a]));
  const p = new L.GlobalAveragePooling1D().apply(x);
  const out = new L.Dense({ units: 2, activation: 'softmax' }).apply(p);
  const model = new k.Model({ inputs, outputs: out });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const xs = tfc.tensor2d([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 0, 0]]);
  const ys = tfc.tensor1d([0, 1]);
  const t0 = Date.now();
  for (let i = 0; i < 30; i++) { const r = model.trainOnBatch(xs, ys); if (i % 10 === 0) console.log(i, r); }
  console.log('ms/step', (Date.now() - t0) / 30);
  console.log(k.backendReport());
  const prof = await tfc.profile(() => { model.trainOnBatch(xs, ys); });
  const by: Record<string, {n: number, t: number}> = {};
  for (const kk of prof.kernels) { (by[kk.name] ??= {n:0,t:0}); by[kk.name].n++; by[kk.name].t += (kk.kernelTimeMs as number) || 0; }
  Object.entries(by).sort((a,b)=>b[1].t-a[1].t).slice(0,12).forEach(([k,v]) => console.log(k, v.n, v.t.toFixed(2)));
})();
