import * as tfc from '@tensorflow/tfjs-core';
import * as k from './src';
(async () => {
  await k.setBackend('wasm');
  const L = k.layers;
  const length = 16, vocab = 60;
  const inputs = k.Input({ shape: [length] });
  let x = new L.Embedding({ inputDim: vocab, outputDim: 32, maskZero: true }).apply(inputs);
  const attended = new L.MultiHeadAttention({ numHeads: 2, keyDim: 32 }).apply([x, x]);
  const out1 = new L.LayerNormalization({ epsilon: 1e-6 }).apply(new L.Add().apply([x, new L.Dropout({ rate: 0.1 }).apply(attended)]));
  let f = new L.Dense({ units: 32, activation: 'relu' }).apply(out1);
  f = new L.Dense({ units: 32 }).apply(f);
  x = new L.LayerNormalization({ epsilon: 1e-6 }).apply(new L.Add().apply([out1, new L.Dropout({ rate: 0.1 }).apply(f)]));
  x = new L.GlobalAveragePooling1D().apply(x);
  const outputs = new L.Dense({ units: 2, activation: 'softmax' }).apply(x);
  const model = new k.Model({ inputs, outputs });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const xs = tfc.floor(tfc.mul(tfc.randomUniform([32, length], 0, 1, 'float32', 3), vocab));
  const ys = tfc.floor(tfc.randomUniform([32], 0, 2, 'float32', 4));
  model.trainOnBatch(xs, ys);
  const t0 = Date.now();
  for (let i = 0; i < 10; i++) model.trainOnBatch(xs, ys);
  console.log('ms/step', (Date.now() - t0) / 10);
  const prof = await tfc.profile(() => { model.trainOnBatch(xs, ys); });
  const by: Record<string, {n: number, t: number}> = {};
  for (const kk of prof.kernels) { (by[kk.name] ??= {n:0,t:0}); by[kk.name].n++; by[kk.name].t += (kk.kernelTimeMs as number) || 0; }
  console.log('kernels', prof.kernels.length);
  Object.entries(by).sort((a,b)=>b[1].t-a[1].t).slice(0,12).forEach(([k,v]) => console.log(k, v.n, v.t.toFixed(2)));
})();
