/**
 * The example page: the course's MLP (784-64-32-16-10 sigmoid, as examples/mlp.ts) trained in the
 * page on the digits embedded in it, with Keras's bar (k.callbacks.PageProgbar) and a live loss
 * curve, the model's picture and the epoch curves as SVG (k.utils.plotModel / plotHistory), a digit
 * drawn on a canvas predicted, and the model saved to IndexedDB and loaded back.
 *
 * Built by `npm run example:browser` (build.ts), which serves it on 127.0.0.1. window.example
 * exposes the same steps the buttons run, for test/browser/example_page.test.ts.
 */
import * as k from 'keras-ts';
import { DIGITS } from './digits';

const PIXELS = 784;
const STORE = 'indexeddb://keras-ts-example-mlp';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = (text: string): void => void ($('status').textContent = text);

interface Digits {
  x: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** The embedded digits: gunzip (the browser's DecompressionStream), then bytes to [0, 1]. */
async function loadDigits(): Promise<{ train: Digits; test: Digits }> {
  const zipped = Uint8Array.from(atob(DIGITS.gzipBase64), (c) => c.charCodeAt(0));
  const stream = new Blob([zipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  const total = DIGITS.train + DIGITS.test;
  const split = (from: number, count: number): Digits => {
    const x = new Float32Array(count * PIXELS);
    for (let i = 0; i < x.length; i++) x[i] = bytes[total + from * PIXELS + i] / 255;
    return { x, labels: bytes.slice(from, from + count), count };
  };
  return { train: split(0, DIGITS.train), test: split(DIGITS.train, DIGITS.test) };
}

function oneHot(labels: Uint8Array): Float32Array {
  const y = new Float32Array(labels.length * 10);
  labels.forEach((d, i) => (y[i * 10 + d] = 1));
  return y;
}

function mlp(): k.Model {
  const inputs = k.Input({ shape: [PIXELS] });
  let x = inputs;
  for (const units of [64, 32, 16]) x = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(x);
  const outputs = new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(x);
  const model = new k.Model({ inputs, outputs, name: 'mnist_mlp' });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.001 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** A running loss curve on a canvas, a point about every 100 ms (the logs are read from the device only then). */
class LossCurve {
  private points: number[] = [];
  private last = 0;
  constructor(private readonly canvas: HTMLCanvasElement) {}

  reset(): void {
    this.points = [];
    this.draw();
  }

  callback(): k.callbacks.Callback {
    return {
      onBatchEndLazy: (_batch, readLogs) => {
        const now = performance.now();
        if (now - this.last < 100) return;
        this.last = now;
        this.points.push(readLogs().loss);
        this.draw();
      },
    };
  }

  private draw(): void {
    const g = this.canvas.getContext('2d') as CanvasRenderingContext2D;
    const { width: w, height: h } = this.canvas;
    g.fillStyle = 'white';
    g.fillRect(0, 0, w, h);
    g.strokeStyle = '#ccc';
    g.strokeRect(0.5, 0.5, w - 1, h - 1);
    if (this.points.length < 2) return;
    const top = Math.max(...this.points);
    g.strokeStyle = '#1f77b4';
    g.lineWidth = 2;
    g.beginPath();
    this.points.forEach((v, i) => g.lineTo((i / (this.points.length - 1)) * (w - 10) + 5, h - 5 - (v / top) * (h - 20)));
    g.stroke();
    g.fillStyle = '#333';
    g.fillText(`training loss (running mean): ${this.points[this.points.length - 1].toFixed(4)}`, 8, 14);
  }
}

/** A 280x280 canvas to draw on, read as a 28x28 MNIST-like digit: the ink's box scaled to 20 px, centred. */
class DrawPad {
  constructor(private readonly canvas: HTMLCanvasElement) {
    const g = this.context();
    let down = false;
    const at = (e: PointerEvent): [number, number] => {
      const r = canvas.getBoundingClientRect();
      return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
    };
    canvas.addEventListener('pointerdown', (e) => {
      down = true;
      g.beginPath();
      g.moveTo(...at(e));
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!down) return;
      g.lineTo(...at(e));
      g.stroke();
    });
    addEventListener('pointerup', () => (down = false));
    this.clear();
  }

  private context(): CanvasRenderingContext2D {
    const g = this.canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    g.strokeStyle = 'white';
    g.lineWidth = 22;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    return g;
  }

  clear(): void {
    const g = this.context();
    g.fillStyle = 'black';
    g.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Paints a 28x28 digit (values in [0, 1]) over the whole pad. */
  paint(pixels: Float32Array): void {
    const small = new ImageData(28, 28);
    pixels.forEach((v, i) => small.data.set([v * 255, v * 255, v * 255, 255], i * 4));
    const tmp = document.createElement('canvas');
    tmp.width = tmp.height = 28;
    (tmp.getContext('2d') as CanvasRenderingContext2D).putImageData(small, 0, 0);
    const g = this.context();
    g.imageSmoothingEnabled = false;
    g.drawImage(tmp, 0, 0, this.canvas.width, this.canvas.height);
  }

  /** The drawing as 784 values in [0, 1], or null when nothing is drawn. */
  read(): Float32Array | null {
    const { width: w, height: h } = this.canvas;
    const ink = this.context().getImageData(0, 0, w, h).data;
    let [x0, y0, x1, y1] = [w, h, -1, -1];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (ink[(y * w + x) * 4] > 32) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
    }
    if (x1 < 0) return null;
    const [bw, bh] = [x1 - x0 + 1, y1 - y0 + 1];
    const scale = 20 / Math.max(bw, bh);
    const small = document.createElement('canvas');
    small.width = small.height = 28;
    const g = small.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    g.fillStyle = 'black';
    g.fillRect(0, 0, 28, 28);
    g.imageSmoothingQuality = 'high';
    g.drawImage(this.canvas, x0, y0, bw, bh, 14 - (bw * scale) / 2, 14 - (bh * scale) / 2, bw * scale, bh * scale);
    const rgba = g.getImageData(0, 0, 28, 28).data;
    return Float32Array.from({ length: PIXELS }, (_, i) => rgba[i * 4] / 255);
  }
}

async function main(): Promise<void> {
  const data = await loadDigits();
  $('data').textContent = `${data.train.count} training and ${data.test.count} test digits`;
  const curve = new LossCurve($<HTMLCanvasElement>('curve'));
  const pad = new DrawPad($<HTMLCanvasElement>('draw'));
  let model = mlp();
  let reloaded: k.Model | null = null;
  const history: Record<string, number[]> = {};
  $('model').innerHTML = await k.utils.plotModel(model, null, { showShapes: true, showLayerActivations: true });

  async function setBackend(name: string): Promise<void> {
    if (k.getBackend() !== name) await k.setBackend(name as k.BackendName);
  }

  /** Trains `epochs` epochs; the loss on the training digits before, each epoch's logs, and how many frames the page drew. */
  async function train(epochs: number): Promise<{ lossBefore: number; history: Record<string, number[]>; seconds: number; frames: number; backend: string }> {
    await setBackend(($('backend') as HTMLSelectElement).value);
    const x = k.tf.tensor2d(data.train.x, [data.train.count, PIXELS]);
    const y = k.tf.tensor2d(oneHot(data.train.labels), [data.train.count, 10]);
    let frames = 0;
    let counting = true;
    const frame = (): void => {
      frames++;
      if (counting) requestAnimationFrame(frame);
    };
    try {
      const [lossBefore] = (await model.evaluate(x, y, { batchSize: 256 })) as number[];
      curve.reset();
      status(`training on ${k.getBackend()}…`);
      requestAnimationFrame(frame);
      const started = performance.now();
      const epochCurves: k.callbacks.Callback = {
        onEpochEnd: async (_epoch, logs) => {
          for (const [key, v] of Object.entries(logs)) (history[key] ??= []).push(v);
          $('curves').innerHTML = await k.utils.plotHistory(history, null, { width: 240, height: 150 });
        },
      };
      const h = await model.fit(x, y, {
        epochs, batchSize: 32, validationSplit: 0.1,
        callbacks: [new k.callbacks.PageProgbar({ element: $('progress') }), curve.callback(), epochCurves],
      });
      const seconds = (performance.now() - started) / 1000;
      counting = false;
      status(`trained ${epochs} epoch(s) on ${k.getBackend()} in ${seconds.toFixed(1)} s; the page drew ${frames} frames meanwhile (${(frames / seconds).toFixed(0)} per second)`);
      return { lossBefore, history: h.history, seconds, frames, backend: k.getBackend() };
    } finally {
      counting = false;
      x.dispose();
      y.dispose();
    }
  }

  /** Class probabilities of one 784-pixel digit. */
  function probabilities(m: k.Model, pixels: Float32Array): number[] {
    return k.tf.tidy(() => Array.from((m.predict(k.tf.tensor2d(pixels, [1, PIXELS])) as k.tf.Tensor).dataSync()));
  }

  function showPrediction(p: number[], reloadedP: number[] | null): number {
    const digit = p.indexOf(Math.max(...p));
    $('prediction').textContent = `Prediction: ${digit}` + (reloadedP ? ` (the model reloaded from IndexedDB: ${reloadedP.indexOf(Math.max(...reloadedP))})` : '');
    $('probs').innerHTML = p.map((v, d) => `<div>${d} ${'█'.repeat(Math.round(v * 30)).padEnd(30, '·')} ${v.toFixed(3)}</div>`).join('');
    return digit;
  }

  function predictDrawing(): { digit: number; probabilities: number[]; reloaded: number[] | null } | null {
    const pixels = pad.read();
    if (pixels === null) return null;
    const p = probabilities(model, pixels);
    const r = reloaded ? probabilities(reloaded, pixels) : null;
    return { digit: showPrediction(p, r), probabilities: p, reloaded: r };
  }

  async function save(): Promise<void> {
    await model.save(STORE);
    status(`saved to ${STORE}`);
  }

  /** Loads the saved model back; it becomes the page's model, the old one is kept for comparison until the next reload. */
  async function reload(): Promise<void> {
    reloaded?.dispose();
    reloaded = (await k.models.loadModel(STORE)) as k.Model;
    status(`reloaded from ${STORE}`);
  }

  /** Predictions of the first `n` test digits by the page's model and by the reloaded one. */
  function predictTest(n: number): { ours: number[][]; reloaded: number[][] | null; labels: number[] } {
    const x = k.tf.tensor2d(data.test.x.subarray(0, n * PIXELS), [n, PIXELS]);
    try {
      const rows = (m: k.Model): number[][] => k.tf.tidy(() => (m.predict(x) as k.tf.Tensor).arraySync() as number[][]);
      return { ours: rows(model), reloaded: reloaded ? rows(reloaded) : null, labels: Array.from(data.test.labels.subarray(0, n)) };
    } finally {
      x.dispose();
    }
  }

  const guard = (f: () => Promise<unknown> | unknown) => async () => {
    try {
      await f();
    } catch (e) {
      status(`error: ${(e as Error).message}`);
      throw e;
    }
  };
  $('train').addEventListener('click', guard(() => train(Number(($('epochs') as HTMLInputElement).value))));
  $('predict').addEventListener('click', guard(() => predictDrawing() ?? status('draw a digit first')));
  $('clear').addEventListener('click', () => pad.clear());
  $('save').addEventListener('click', guard(save));
  $('reload').addEventListener('click', guard(async () => (await reload(), predictDrawing())));
  (window as unknown as { example: unknown }).example = {
    train, save, reload, predictTest, predictDrawing,
    paintTestDigit: (i: number) => pad.paint(data.test.x.subarray(i * PIXELS, (i + 1) * PIXELS)),
    testLabel: (i: number) => data.test.labels[i],
    newModel: () => ((model = mlp()), undefined),
  };
  status(`ready: ${data.train.count} digits to train on; backend ${k.getBackend()}`);
}

main().catch((e) => {
  status(`error: ${(e as Error).message}`);
  console.error(e);
});
