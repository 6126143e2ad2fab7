// The checks test/browser/page.test.ts runs inside headless Chromium, by name: each takes JSON
// arguments and returns JSON. The page imports the browser build exactly as a user's page would.
import * as k from '../../dist/browser/keras-ts.mjs';

const tf = k.tf;

/** The model every check uses: 4 inputs, 8 relu units, 3 softmax outputs (test/browser/page.test.ts builds the same in Node). */
function mlp() {
  return new k.Sequential([
    new k.layers.Dense({ units: 8, activation: 'relu', inputShape: [4], name: 'hidden' }),
    new k.layers.Dense({ units: 3, activation: 'softmax', name: 'out' }),
  ]);
}

function withWeights(model, weights) {
  model.build([null, 4]);
  const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors); // copies them
  tf.dispose(tensors);
  return model;
}

/** The largest absolute difference between two nested arrays of numbers. */
function maxDiff(a, b) {
  const x = a.flat(Infinity);
  const y = b.flat(Infinity);
  if (x.length !== y.length) return Infinity;
  return Math.max(...x.map((v, i) => Math.abs(v - y[i])));
}

async function predictWith(model, x) {
  const t = tf.tensor(x);
  const y = model.predict(t);
  const out = await y.array();
  tf.dispose([t, y]);
  return out;
}

export const checks = {
  names: async () => Object.keys(k).sort(),

  /** Before anything is used: what importing keras-ts registered with tfjs-core (nothing). */
  pristine: async () => ({
    factories: Object.keys(tf.engine().registryFactory),
    backend: tf.engine().backendName ?? null,
    addGradient: tf.getGradient('Add') !== undefined,
    chainedSquare: typeof tf.Tensor.prototype.square,
  }),

  /**
   * The automatic choice in a fresh page (no setBackend yet): k.ready() times wasm, WebGL and WebGPU
   * (where it has an adapter) and takes the fastest; backendReport says the timings.
   */
  autoChoice: async () => {
    const count = () => tf.engine().state.numTensors; // tf.memory() needs a backend, and none is chosen yet
    const before = count();
    const chosen = await k.ready();
    const report = k.backendReport();
    const again = await k.ready(); // remembered: no second probe
    return { chosen, again, probe: report.probe ?? null, stored: JSON.parse(sessionStorage.getItem('keras-ts:backend-probe')), leaked: count() - before };
  },

  /** Names that come from class names (minifying must keep them): the default model and layer names, the saved config's classes. */
  naming: async () => {
    await k.setBackend('cpu');
    const model = new k.Sequential([new k.layers.Dense({ units: 2, inputShape: [3] }), new k.layers.Dropout({ rate: 0.5 })]);
    const config = model.getConfig();
    const out = { model: model.name, layers: model.layers.map((l) => l.name), classes: config.layers.map((l) => l.className ?? l.class_name) };
    model.dispose();
    return out;
  },

  /** fit and summary with the default logger: a page has no process.stdout, so the lines go to the console. */
  defaultLogger: async ({ x, y }) => {
    await k.setBackend('cpu');
    const lines = [];
    const log = console.log;
    console.log = (...args) => lines.push(args.join(' '));
    try {
      const model = mlp();
      model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      await model.fit(x, y, { epochs: 2, batchSize: 16 });
      model.summary();
      model.dispose();
    } finally {
      console.log = log;
    }
    return lines;
  },

  /** Trains the MLP on a fixed problem (the class is the index of the largest of the first 3 inputs). */
  fit: async ({ backend, x, y }) => {
    await k.setBackend(backend);
    const before = tf.memory().numTensors;
    const model = mlp();
    model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
    const history = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0, shuffle: false });
    model.dispose();
    return { backend: k.getBackend(), tfjsBackend: tf.getBackend(), loss: history.history.loss, leaked: tf.memory().numTensors - before };
  },

  /**
   * keras-ts's own training kernels on `backend` (KerasSGD, KerasAdam, KerasActivationGrad, the cross-entropy pair) against
   * the same formulas as tfjs ops on the same inputs, on a [3, 5] weight (the gradient a matmul's
   * output, as in training) and a [7] one; then with NaN planted in each input: where each output is NaN.
   */
  fusedKernels: async ({ backend }) => {
    await k.setBackend(backend);
    const before = tf.memory().numTensors;
    const fill = (shape, seed) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(1.7 * i + seed)), shape);
    const positive = (shape, seed) => tf.tidy(() => tf.add(tf.square(fill(shape, seed)), 0.01));
    const slots = (shape, seed) => ({ w: fill(shape, seed), m: fill(shape, seed + 1), v: positive(shape, seed + 2), vHat: positive(shape, seed + 3) });
    const losses = (shape, seed) => ({ probs: tf.tidy(() => tf.sigmoid(fill(shape, seed))), target: positive(shape, seed + 1), dy: fill(shape.slice(0, -1), seed + 2) });
    const cases = [
      { ...slots([3, 5], 0), g: tf.tidy(() => tf.matMul(fill([3, 4], 5), fill([4, 5], 6))), ...losses([3, 5], 20) },
      { ...slots([7], 10), g: fill([7], 11), ...losses([7], 30) },
    ];
    const runKernel = (name, inputs, attrs) => tf.engine().runKernel(name, inputs, attrs);
    const sgdOps = ({ w, g, m }, { lr, momentum, nesterov, decay }) => {
      const w0 = decay ? tf.sub(w, tf.mul(w, decay)) : w;
      if (!momentum) return [tf.sub(w0, tf.mul(g, lr))];
      const mi = tf.sub(tf.mul(m, momentum), tf.mul(g, lr));
      return [nesterov ? tf.add(w0, tf.sub(tf.mul(mi, momentum), tf.mul(g, lr))) : tf.add(w0, mi), mi];
    };
    const adamOps = ({ w, g, m, v, vHat }, { alpha, beta1, beta2, epsilon, decay }, amsgrad) => {
      const w0 = decay ? tf.sub(w, tf.mul(w, decay)) : w;
      const mi = tf.add(m, tf.mul(tf.sub(g, m), 1 - beta1));
      const vi = tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - beta2));
      const vu = amsgrad ? tf.maximum(vHat, vi) : vi;
      return [tf.sub(w0, tf.div(tf.mul(mi, alpha), tf.add(tf.sqrt(vu), epsilon))), mi, vi, ...(amsgrad ? [vu] : [])];
    };
    const sgdInputs = (c, momentum) => ({ w0: c.w, g0: c.g, ...(momentum ? { m0: c.m } : {}) });
    const adamInputs = (c, amsgrad) => ({ w0: c.w, g0: c.g, m0: c.m, v0: c.v, ...(amsgrad ? { vHat0: c.vHat } : {}) });
    const variants = [
      ...[{ momentum: 0 }, { momentum: 0.9 }, { momentum: 0.9, nesterov: true }, { momentum: 0.9, decay: 0.004 }, { decay: 0.01 }].map((o) => {
        const attrs = { count: 1, lr: 0.05, momentum: 0, nesterov: false, decay: 0, ...o };
        return { name: `SGD ${JSON.stringify(o)}`, fused: (c) => runKernel('KerasSGD', sgdInputs(c, attrs.momentum > 0), attrs), ops: (c) => sgdOps(c, attrs), nanFrom: attrs.momentum > 0 ? [['w', 'g', 'm'], ['g', 'm']] : [['w', 'g']] };
      }),
      ...[{ amsgrad: false }, { amsgrad: true }, { amsgrad: true, decay: 0.004 }].map(({ amsgrad, decay = 0 }) => {
        const attrs = { count: 1, alpha: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay };
        const nanFrom = [amsgrad ? ['w', 'g', 'm', 'v', 'vHat'] : ['w', 'g', 'm', 'v'], ['g', 'm'], ['g', 'v'], ...(amsgrad ? [['g', 'v', 'vHat']] : [])];
        return { name: `Adam ${JSON.stringify({ amsgrad, decay })}`, fused: (c) => runKernel('KerasAdam', adamInputs(c, amsgrad), attrs), ops: (c) => adamOps(c, attrs, amsgrad), nanFrom };
      }),
      ...['sigmoid', 'relu', 'relu6', 'elu', 'tanh'].map((activation) => ({
        name: `ActivationGrad ${activation}`,
        fused: (c) => [runKernel('KerasActivationGrad', { dy: c.g, y: c.w }, { activation })],
        ops: ({ g, w }) => [{
          sigmoid: () => tf.mul(g, tf.mul(w, tf.sub(1, w))), tanh: () => tf.mul(g, tf.sub(1, tf.square(w))), relu: () => tf.mul(g, tf.step(w)),
          relu6: () => tf.mul(g, tf.cast(tf.logicalAnd(tf.greater(w, 0), tf.less(w, 6)), 'float32')),
          elu: () => tf.mul(g, tf.where(tf.greater(w, 0), tf.onesLike(w), tf.add(w, 1))),
        }[activation]()],
        nanFrom: [['g', 'w']],
      })),
    ];
    // losses/fused.ts's formulas; NaN planted at element 5 of probs and 6 of target (one row of 7): the value's row is NaN,
    // the softmax gradient's whole row (its sum of targets), the sigmoid gradient's elements 5 and 6.
    const clipped = (p) => tf.clipByValue(p, 1e-7, 1 - 1e-7);
    const lossOps = {
      softmax: ({ probs, target }) => tf.neg(tf.sum(tf.mul(target, tf.log(clipped(probs))), -1)),
      sigmoid: ({ probs, target }) => tf.mean(tf.neg(tf.add(tf.mul(target, tf.log(clipped(probs))), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, clipped(probs)))))), -1),
    };
    const gradOps = {
      softmax: ({ probs, target, dy }) => tf.mul(tf.sub(tf.mul(probs, tf.sum(target, -1, true)), target), tf.expandDims(dy, -1)),
      sigmoid: ({ probs, target, dy }) => tf.mul(tf.div(tf.sub(probs, target), probs.shape[probs.rank - 1]), tf.expandDims(dy, -1)),
    };
    for (const kind of ['softmax', 'sigmoid']) {
      variants.push({ name: `Crossentropy ${kind}`, fused: (c) => [runKernel('KerasCrossentropy', { probs: c.probs, target: c.target }, { kind })], ops: (c) => [lossOps[kind](c)], nanExpected: [[0]] });
      variants.push({
        name: `CrossentropyGrad ${kind}`, fused: (c) => [runKernel('KerasCrossentropyGrad', { probs: c.probs, target: c.target, dy: c.dy }, { kind })], ops: (c) => [gradOps[kind](c)],
        nanExpected: kind === 'softmax' ? [[0, 1, 2, 3, 4, 5, 6]] : [[5, 6]],
      });
    }
    const registered = ['KerasSGD', 'KerasAdam', 'KerasActivationGrad', 'KerasCrossentropy', 'KerasCrossentropyGrad'].filter((n) => tf.getKernel(n, tf.getBackend()) !== undefined);
    const diffs = {};
    const nan = {};
    for (const variant of variants) {
      let worst = 0;
      for (const c of cases) {
        const [fused, ops] = [variant.fused(c), tf.tidy(() => variant.ops(c))];
        fused.forEach((t, i) => (worst = Math.max(worst, tf.tidy(() => tf.max(tf.abs(tf.sub(t, ops[i]))).dataSync()[0]))));
        tf.dispose([fused, ops]);
      }
      diffs[variant.name] = worst;
      // NaN at element 0 of w, 1 of g, 2 of m, 3 of v, 4 of vHat: each output's NaN elements.
      const planted = Object.fromEntries(['w', 'g', 'm', 'v', 'vHat', 'probs', 'target'].map((key, at) => {
        const values = Array.from(cases[1][key].dataSync());
        values[at] = NaN;
        return [key, tf.tensor(values, [7])];
      }));
      planted.dy = tf.scalar(0.5);
      const outs = variant.fused(planted);
      nan[variant.name] = { got: outs.map((t) => Array.from(t.dataSync()).map((x, i) => (Number.isNaN(x) ? i : -1)).filter((i) => i >= 0)), nanFrom: variant.nanFrom, nanExpected: variant.nanExpected };
      tf.dispose([outs, Object.values(planted)]);
    }
    for (const c of cases) tf.dispose(Object.values(c));
    return { backend: tf.getBackend(), registered, diffs, nan, leaked: tf.memory().numTensors - before };
  },

  /** Which kernels one training step of the MLP runs on `backend` (tf.profile), the loss over 10 epochs with `optimizer`, and leaks. */
  fitKernels: async ({ backend, x, y, optimizer }) => {
    await k.setBackend(backend);
    const before = tf.memory().numTensors;
    const model = mlp();
    model.compile({ optimizer: optimizer === 'sgd' ? new k.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }) : new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
    const history = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0, shuffle: false });
    const [xs, ys] = [tf.tensor(x.slice(0, 16)), tf.tensor(y.slice(0, 16))];
    const info = await tf.profile(async () => void (await model.trainOnBatch(xs, ys)));
    tf.dispose([xs, ys]);
    model.dispose();
    return { kernels: [...new Set(info.kernels.map((kk) => kk.name))].sort(), loss: history.history.loss, leaked: tf.memory().numTensors - before };
  },

  /** Predictions of the MLP with the given weights on `backend`. */
  predict: async ({ backend, weights, x }) => {
    await k.setBackend(backend);
    const before = tf.memory().numTensors;
    const model = withWeights(mlp(), weights);
    const out = await predictWith(model, x);
    model.dispose();
    return { backend: k.getBackend(), out, leaked: tf.memory().numTensors - before };
  },

  /** Saves to `url` (indexeddb:// or localstorage://), loads it back, and compares the predictions. */
  storeRoundTrip: async ({ url, weights, x }) => {
    await k.setBackend('cpu');
    const model = withWeights(mlp(), weights);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const expected = await predictWith(model, x);
    const before = tf.memory().numTensors;
    await model.save(url);
    const listed = Object.keys(await tf.io.listModels());
    const loaded = await k.models.loadModel(url);
    const got = await predictWith(loaded, x);
    const compiled = loaded.optimizer !== null && loaded.optimizer !== undefined;
    loaded.dispose();
    const leaked = tf.memory().numTensors - before;
    model.dispose();
    return { listed, diff: maxDiff(expected, got), compiled, leaked };
  },

  /** Loads a .keras (or .h5) file written in Node: from its bytes as a File, and from its URL. */
  loadFile: async ({ base64, name, url, x, backend }) => {
    await k.setBackend(backend);
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const before = tf.memory().numTensors;
    const fromFile = await k.models.loadModel(new File([bytes], name));
    const fileOut = await predictWith(fromFile, x);
    const names = fromFile.layers.map((l) => l.name);
    fromFile.dispose();
    const fromUrl = await k.models.loadModel(url);
    const urlOut = await predictWith(fromUrl, x);
    fromUrl.dispose();
    const fromBytes = await k.models.loadModel(bytes.buffer);
    const bytesOut = await predictWith(fromBytes, x);
    fromBytes.dispose();
    return { fileOut, urlOut, bytesOut, names, leaked: tf.memory().numTensors - before };
  },

  /** A .keras file written in the page (the downloads:// writer's bytes) and read back in the page. */
  kerasInPage: async ({ weights, x }) => {
    await k.setBackend('cpu');
    const model = withWeights(mlp(), weights);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const expected = await predictWith(model, x);
    let downloaded = null;
    const before = tf.memory().numTensors;
    const realCreate = URL.createObjectURL;
    URL.createObjectURL = (blob) => {
      downloaded = blob;
      return realCreate(blob);
    };
    try {
      await model.save('downloads://page-model.keras');
    } finally {
      URL.createObjectURL = realCreate;
    }
    const loaded = await k.models.loadModel(downloaded);
    const diff = maxDiff(expected, await predictWith(loaded, x));
    loaded.dispose();
    const leaked = tf.memory().numTensors - before;
    await model.save('downloads://page-model'); // tfjs's format: tfjs's handler downloads page-model.json and page-model.weights.bin
    model.dispose();
    return { size: downloaded.size, diff, leaked };
  },

  /** Each op on [NaN, 1, -2, 3] and on [0, 1, -2, 3]: the elements that are NaN in each output. */
  nan: async ({ backend }) => {
    await k.setBackend(backend);
    const ops = {
      relu: (t) => tf.relu(t), relu6: (t) => tf.relu6(t), elu: (t) => tf.elu(t), selu: (t) => tf.selu(t), leakyRelu: (t) => tf.leakyRelu(t, 0.2),
      sigmoid: (t) => tf.sigmoid(t), tanh: (t) => tf.tanh(t), softplus: (t) => tf.softplus(t), exp: (t) => tf.exp(t), log: (t) => tf.log(t),
      sqrt: (t) => tf.sqrt(t), square: (t) => tf.square(t), pow: (t) => tf.pow(t, 2), abs: (t) => tf.abs(t), clipByValue: (t) => tf.clipByValue(t, 0, 1),
      maximum: (t) => tf.maximum(t, 0), minimum: (t) => tf.minimum(t, 0), add: (t) => tf.add(t, 1), mul: (t) => tf.mul(t, 2),
      softmax: (t) => tf.softmax(t), logSoftmax: (t) => tf.logSoftmax(t), sum: (t) => tf.sum(t, 1), max: (t) => tf.max(t, 1), mean: (t) => tf.mean(t, 1),
      matMul: (t) => tf.matMul(t, tf.ones([4, 2])), fusedRelu: (t) => tf.fused.matMul({ a: t, b: tf.ones([4, 2]), activation: 'relu' }),
      dense: (t) => new k.layers.Dense({ units: 2, activation: 'relu', kernelInitializer: 'ones' }).apply(t),
    };
    const nanAt = (op, row) => tf.tidy(() => Array.from(op(tf.tensor2d([row])).dataSync()).map((v) => Number.isNaN(v)));
    const out = {};
    for (const [name, op] of Object.entries(ops)) out[name] = { withNaN: nanAt(op, [NaN, 1, -2, 3]), clean: nanAt(op, [0, 1, -2, 3]) };
    return out;
  },

  /** What a page gets from Node-only parts: the error messages. */
  nodeOnly: async () => {
    const messages = {};
    const attempt = async (name, fn) => {
      try {
        await fn();
        messages[name] = 'no error';
      } catch (e) {
        messages[name] = `${e.name}: ${e.message}`;
      }
    };
    await k.setBackend('cpu');
    const model = mlp();
    model.build([null, 4]);
    await attempt('saveToPath', () => model.save('model.keras'));
    await attempt('native', () => k.setBackend('native'));
    await attempt('webgpuOrNone', () => k.setBackend('webgpu'));
    await attempt('missingStore', () => k.models.loadModel('indexeddb://no-such-model'));
    await attempt('readDownload', () => k.models.loadModel('downloads://model'));
    await k.setBackend('cpu');
    model.dispose();
    return messages;
  },
};

window.checks = checks;
window.kerasReady = true;
