/**
 * Issue 24's callbacks: Callback and CallbackList exported, RemoteMonitor against an HTTP server
 * the test starts on 127.0.0.1 (form and JSON bodies, an unreachable server warns), and
 * SwapEMAWeights (validation runs on the moving averages; swapOnEpoch leaves them in at epoch end).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

function model(): k.Sequential {
  k.utils.setRandomSeed(3);
  return new k.Sequential({ layers: [k.Input({ shape: [2] }), new k.layers.Dense({ units: 1 })] });
}
const data = (): [tfc.Tensor, tfc.Tensor] => [tfc.tensor2d([[0, 1], [1, 0], [1, 1], [0.5, -1]]), tfc.tensor2d([[1], [-1], [0], [2]])];

describe('RemoteMonitor', () => {
  let server: http.Server;
  let root: string;
  const got: Array<{ url: string; type: string; body: string; auth: string }> = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ url: req.url ?? '', type: req.headers['content-type'] ?? '', body, auth: String(req.headers['x-token'] ?? '') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (got.length = 0));

  test("POSTs each epoch's logs as Keras's form field", async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = data();
    const history = await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new k.callbacks.RemoteMonitor({ root, headers: { 'x-token': 'abc' } })] });
    expect(got.map((g) => g.url)).toEqual(['/publish/epoch/end/', '/publish/epoch/end/']);
    expect(got[0].type).toBe('application/x-www-form-urlencoded');
    expect(got[0].auth).toBe('abc');
    const sent = JSON.parse(new URLSearchParams(got[1].body).get('data') as string);
    expect(sent.epoch).toBe(1);
    expect(sent.loss).toBeCloseTo(history.history.loss[1], 6);
    tfc.dispose([x, y]);
    m.dispose();
  });

  test('sendAsJson: the logs as the JSON body, at the path given', async () => {
    const cb = new k.callbacks.RemoteMonitor({ root, path: '/logs', sendAsJson: true });
    await cb.onEpochEnd(4, { loss: 0.25, accuracy: 0.5 });
    expect(got).toEqual([{ url: '/logs', type: 'application/json', body: JSON.stringify({ epoch: 4, loss: 0.25, accuracy: 0.5 }), auth: '' }]);
  });

  test('an unreachable server warns and training goes on; a bad URL is refused', async () => {
    const warnings: string[] = [];
    k.utils.setLogger({ write: () => undefined, warn: (t) => warnings.push(t) });
    try {
      // a port nothing listens on: the server's own, after it is closed
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      await new k.callbacks.RemoteMonitor({ root: `http://127.0.0.1:${port}` }).onEpochEnd(0, { loss: 1 });
    } finally {
      k.utils.setLogger(null);
    }
    expect(warnings.join('')).toMatch(/RemoteMonitor: could not reach the server at http:\/\/127\.0\.0\.1:\d+.*help:/);
    expect(() => new k.callbacks.RemoteMonitor({ root: 'ftp://x' })).toThrow(/http or https.*help:/);
    expect(() => new k.callbacks.RemoteMonitor({ root: 'not a url' })).toThrow(/not a URL.*help:/);
  });
});

describe('SwapEMAWeights', () => {
  test('validation sees the moving averages; training continues on the weights', async () => {
    const m = model();
    const opt = new k.optimizers.SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.5 });
    m.compile({ optimizer: opt, loss: 'mse' });
    const [x, y] = data();
    const atTest: number[][] = [];
    const averages: number[][] = [];
    let beforeTest: number[] = [];
    let afterTest: number[] = [];
    const probe = new k.callbacks.LambdaCallback({
      onBatchEnd: () => { beforeTest = Array.from(m.getWeights()[0].dataSync()); },
      onTestBegin: () => {
        atTest.push(Array.from(m.getWeights()[0].dataSync()));
        averages.push(Array.from(opt.averageOf(m.trainableWeights[0])!.dataSync()));
      },
      onEpochEnd: () => { afterTest = Array.from(m.getWeights()[0].dataSync()); },
    });
    await m.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, validationData: [x, y], callbacks: [new k.callbacks.SwapEMAWeights(), probe] });
    // at validation the model holds what the weights were before (now in the optimizer's average slot), and back after
    expect(atTest).toHaveLength(1);
    expect(atTest[0]).not.toEqual(beforeTest);
    expectClose(averages[0], beforeTest, 1e-7);
    expectClose(afterTest, beforeTest, 1e-7);
    tfc.dispose([x, y]);
    m.dispose();
  });

  test('swapOnEpoch: after an epoch the averages are in the model; without useEma it is refused', async () => {
    const m = model();
    const opt = new k.optimizers.SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.5 });
    m.compile({ optimizer: opt, loss: 'mse' });
    const [x, y] = data();
    let average: number[] = [];
    let averageAtEnd: number[] = [];
    let atEnd: number[] = [];
    const probe = new k.callbacks.LambdaCallback({
      onBatchEnd: () => { average = Array.from(opt.averageOf(m.trainableWeights[0])!.dataSync()); },
      onEpochEnd: (epoch) => {
        if (epoch !== 0) return;
        atEnd = Array.from(m.getWeights()[0].dataSync());
        averageAtEnd = average;
      },
    });
    await m.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [new k.callbacks.SwapEMAWeights({ swapOnEpoch: true }), probe] });
    expect(atEnd.length).toBe(2);
    expectClose(atEnd, averageAtEnd, 1e-7); // the epoch's last moving average is now the model's weight
    const plain = model();
    plain.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(plain.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y], callbacks: [new k.callbacks.SwapEMAWeights()] })).rejects.toThrow(/useEma.*help: compile with an optimizer made with \{useEma: true\}/);
    tfc.dispose([x, y]);
    m.dispose();
    plain.dispose();
  });
});

test('Callback is the base class to extend; CallbackList calls each in order', async () => {
  const order: string[] = [];
  class Mine extends k.callbacks.Callback {
    constructor(readonly tag: string) { super(); }
    onEpochEnd(): void { order.push(this.tag); }
  }
  const list = new k.callbacks.CallbackList([new Mine('a'), new Mine('b')]);
  await list.epochEnd(0, {});
  expect(order).toEqual(['a', 'b']);
});
