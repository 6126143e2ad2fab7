/** What the tests of issue 24's part-5 layers share: the input formula of the references, finite differences, a .keras/.h5 round trip. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

/** seq(shape, a, scale) of test/reference/layers5_references.py: sin(0.7 i + a) * scale, row-major. */
export const seq = (shape: number[], a = 0, scale = 1): tfc.Tensor =>
  tfc.tensor(Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(0.7 * i + a) * scale), shape);

/** Gradients of sum(f(vars) · r) with respect to `vars`, against central differences. */
export function checkGradients(what: string, f: () => tfc.Tensor, vars: tfc.Variable[], eps = 1e-2, tol = 2e-3): void {
  const out = tfc.tidy(f);
  const r = seq(out.shape, 2);
  out.dispose();
  const loss = (): tfc.Scalar => tfc.sum(tfc.mul(f(), r)) as tfc.Scalar;
  const { value, grads } = tfc.variableGrads(loss, vars);
  value.dispose();
  for (const v of vars) {
    const analytic = Array.from(grads[v.name].dataSync());
    const base = Array.from(v.dataSync());
    const at = (i: number, delta: number): number => {
      const moved = base.slice();
      moved[i] += delta;
      tfc.tidy(() => v.assign(tfc.tensor(moved, v.shape)));
      return tfc.tidy(() => loss().dataSync()[0]);
    };
    for (let i = 0; i < base.length; i++) {
      const numeric = (at(i, eps) - at(i, -eps)) / (2 * eps);
      if (Math.abs(numeric - analytic[i]) > tol * Math.max(1, Math.abs(numeric))) {
        throw new Error(`${what} ${v.name}[${i}]: analytic ${analytic[i]}, numeric ${numeric}`);
      }
    }
    tfc.tidy(() => v.assign(tfc.tensor(base, v.shape)));
  }
  tfc.dispose([r, ...Object.values(grads)]);
}

/** A model of one layer on `shape` saved as .keras and .h5 and loaded back: the same config and predictions, exactly. */
export async function expectRoundTrip(make: () => k.Layer, shape: number[], x: tfc.Tensor, dtype?: 'int32' | 'string'): Promise<void> {
  const inputs = k.Input({ shape, dtype });
  await expectModelRoundTrip(new k.Model({ inputs, outputs: make().apply(inputs) as k.SymbolicTensor }), x);
}

/** `model` (its layer 1 the one under test) saved as .keras and .h5 and loaded back: the same config and predictions, exactly. */
export async function expectModelRoundTrip(model: k.Model, x: tfc.Tensor): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-layers5-'));
  try {
    const before = model.predict(x) as tfc.Tensor;
    for (const target of ['m.keras', 'm.h5']) {
      const file = path.join(tmp, target);
      await model.save(file);
      const loaded = await k.models.loadModel(file);
      expect(loaded.layers[1].className).toBe(model.layers[1].className);
      expect(loaded.layers[1].getConfig()).toEqual(model.layers[1].getConfig());
      const after = loaded.predict(x) as tfc.Tensor;
      expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
      after.dispose();
      loaded.dispose();
    }
    before.dispose();
    model.dispose();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
