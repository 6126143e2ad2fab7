/**
 * Capture on the 'native' backend. NativeRecorder records the addon calls of one eager step
 * (kernels/ call the addon through backend.addon, which it wraps while recording) into a Program
 * (program.ts); NativeReplay runs a Program again: a loop over the same addon functions with the
 * buffers resolved once (arena buffers of its own, the variables' buffers updated in place, the
 * new batch's buffers bound), with none of tfjs-core's per-kernel work (no tensors, tape, scopes).
 *
 * A recording is refused (the reason is returned) when replaying it could differ from the eager
 * step: a kernel ran on tfjs's JavaScript fallback, a kernel wrote a buffer in JavaScript (its
 * output is neither written by an addon call nor a view of an input), a tensor's values were
 * converted, an addon function without a WRITES entry ran, or a variable was replaced rather
 * than updated in place, or a random kernel ran without announcing how to draw its next state.
 * A random kernel's state (Dropout's) is drawn anew for each replay, so no replay reuses a mask.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../native/addon';
import type { NativeBackend } from '../native/native_backend';
import { captureObserver, KernelArgs, KernelObserver, KernelOut } from './observer';
import type { Arg, Buffer, Program, RecordedCall } from './program';

/** For each addon function a step may call, the positions of the buffers it writes. */
const WRITES: Record<string, number[]> = {
  matMul: [2], denseGrad: [4, 5, 6], conv2d: [3], conv2dBackpropInput: [2], conv2dBackpropFilter: [2], convGrad: [4, 5, 6],
  pool: [1], poolGrad: [2], binary: [3], unary: [2], clip: [1], select: [3], cast: [1], fill: [0], transpose: [1], reverse: [1],
  pad: [1], copyBlocks: [1], segmentSum: [2], oneHot: [1], activationGrad: [2], gatherRows: [2], reduce: [2], argMax: [1], matches: [2], accumulate: [2], softmax: [1],
  crossentropy: [3], crossentropyGrad: [4], adam: [5, 6, 7, 8], sgd: [3, 4], rmsprop: [5, 6, 7, 8], adagrad: [3, 4],
  layerNorm: [3, 4, 5], layerNormGrad: [5, 6, 7], maskedSoftmax: [2], softmaxGrad: [2], rnnForward: [6, 7], rnnBackward: [4, 5, 6, 7, 8],
  logical: [3], reduceBool: [1], tile: [1], gatherAxis: [2], unaryMore: [2], eluGrad: [2], conv3d: [3], conv3dBackpropInput: [2],
  conv3dBackpropFilter: [2], pool3d: [1], pool3dGrad: [2], resize: [1], resizeGrad: [1], batchNormTrain: [3, 4, 5], batchNormTrainGrad: [6, 7, 8],
  dropout: [1, 2],
  attentionCore: [4, 5], attentionCoreGrad: [6, 7, 8],
};

/** Numbers that change each step: the optimizer kernels' (kernels/train.ts) learning-rate arguments, by the attr they come from. */
const DYNAMIC: Record<string, Record<number, string>> = { adam: { 9: 'alpha', 13: 'decay' }, sgd: { 5: 'lr', 8: 'decay' }, rmsprop: { 9: 'lr', 14: 'decay' }, adagrad: { 5: 'lr', 7: 'decay' } };

/** Random kernels: the positions of their random state's numbers, drawn anew for each replay (observer.ts's `random`). */
const RANDOM: Record<string, number[]> = { dropout: [5, 6, 7, 8] };

/** Native kernels that fill part of their output in JavaScript (copies of rows), so no recording of addon calls holds it. */
const WRITES_IN_JS = new Set(['AddN']);

const DTYPE_OF = (b: Buffer): 'float32' | 'int32' | 'bool' => (b instanceof Float32Array ? 'float32' : b instanceof Int32Array ? 'int32' : 'bool');
const MAKE: Record<string, new (n: number) => Buffer> = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };

function bufferOf(backend: NativeBackend, t: tfc.TensorInfo): Buffer | undefined {
  return backend.data.get(t.dataId)?.values as Buffer | undefined;
}

export class NativeRecorder implements KernelObserver {
  private readonly calls: RecordedCall[] = [];
  private readonly arena: Program['arena'] = [];
  private readonly slots = new Map<Buffer, number>();
  private readonly constants = new Set<Buffer>();
  private readonly bound = new Map<Buffer, number>();
  private readonly state = new Map<Buffer, tfc.Variable>();
  private readonly realAddon: NativeAddon;
  private refused: string | null = null;
  private kernelName = '(no kernel)';
  private written = new Set<Buffer>();
  private readonly draws: Array<() => number[]> = [];
  private pendingDraw: (() => number[]) | null = null;

  constructor(
    private readonly backend: NativeBackend,
    inputs: tfc.Tensor[],
  ) {
    this.realAddon = backend.addon;
    inputs.forEach((t, i) => {
      const b = bufferOf(backend, t);
      if (b !== undefined && !this.bound.has(b)) this.bound.set(b, i);
    });
    for (const v of Object.values(tfc.engine().registeredVariables)) {
      const b = bufferOf(backend, v);
      if (b !== undefined) this.state.set(b, v);
    }
  }

  start(): void {
    const b = this.backend as unknown as { addon: NativeAddon; capturing: boolean; array: NativeBackend['array'] };
    const real = this.realAddon as unknown as Record<string, unknown>;
    const proxy: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(real)) {
      proxy[name] = typeof fn === 'function' ? (...args: unknown[]) => this.call(name, fn as (...a: unknown[]) => unknown, args) : fn;
    }
    b.addon = proxy as unknown as NativeAddon;
    b.capturing = true;
    const convert = Object.getPrototypeOf(this.backend).array as NativeBackend['array'];
    b.array = (t) => {
      const values = convert.call(this.backend, t);
      if (values !== bufferOf(this.backend, t)) this.refuse(`kernel ${this.kernelName} converts a ${t.dtype} tensor's values in JavaScript`);
      return values;
    };
    captureObserver.current = this;
  }

  stop(): void {
    captureObserver.current = null;
    const b = this.backend as unknown as { addon: NativeAddon; capturing: boolean; array?: unknown };
    b.addon = this.realAddon;
    b.capturing = false;
    delete b.array;
  }

  kernel(name: string, args: KernelArgs, run: () => KernelOut): KernelOut {
    if (WRITES_IN_JS.has(name)) this.refuse(`kernel ${name} copies values in JavaScript`);
    const [outer, outerWritten] = [this.kernelName, this.written];
    [this.kernelName, this.written] = [name, new Set()];
    try {
      const out = run();
      const inputs = new Set((Object.values(args.inputs) as Array<tfc.TensorInfo | undefined>).map((t) => (t ? bufferOf(this.backend, t) : undefined)));
      for (const o of Array.isArray(out) ? out : [out]) {
        const b = bufferOf(this.backend, o);
        if (b !== undefined && !this.written.has(b) && !inputs.has(b)) this.refuse(`kernel ${name} computed its output in JavaScript`);
      }
      return out;
    } finally {
      [this.kernelName, this.written] = [outer, outerWritten];
    }
  }

  fallback(name: string): void {
    this.refuse(`kernel ${name} has no native version (it ran on tfjs's JavaScript code)`);
  }

  random(draw: () => number[]): void {
    this.pendingDraw = draw;
  }

  /** The program, or why the step cannot be replayed. */
  finish(outputs: tfc.Tensor[]): Program | string {
    if (this.refused !== null) return this.refused;
    const outs: Program['outputs'] = [];
    for (const t of outputs) {
      const b = bufferOf(this.backend, t);
      const slot = b === undefined ? undefined : this.slots.get(b);
      if (slot === undefined) return `an output of the step (shape [${t.shape.join(', ')}]) was not computed by a recorded kernel`;
      outs.push({ slot, shape: t.shape, dtype: t.dtype });
    }
    for (const c of this.calls) {
      for (const a of c.args) {
        if (a.kind === 'state' && bufferOf(this.backend, a.variable) !== a.buffer) return `variable ${a.variable.name} was replaced rather than updated in place`;
      }
    }
    return { calls: this.calls, arena: this.arena, outputs: outs, draws: this.draws };
  }

  private refuse(reason: string): void {
    if (this.refused === null) this.refused = reason;
  }

  private call(fn: string, real: (...a: unknown[]) => unknown, args: unknown[]): unknown {
    const writes = WRITES[fn];
    if (writes === undefined) this.refuse(`addon function ${fn} (kernel ${this.kernelName}) has no replay entry`);
    let draw = -1;
    if (RANDOM[fn] !== undefined) {
      if (this.pendingDraw === null) this.refuse(`kernel ${this.kernelName} draws random numbers without saying how to draw the next step's`);
      else draw = this.draws.push(this.pendingDraw) - 1;
      this.pendingDraw = null;
    }
    if (writes !== undefined && this.refused === null) {
      this.calls.push({ fn, kernel: this.kernelName, args: args.map((a, j) => (RANDOM[fn]?.includes(j) ? { kind: 'random', draw, part: RANDOM[fn].indexOf(j), value: a as number } : this.classify(fn, a, j, writes.includes(j)))) });
    }
    const result = real(...args);
    if (writes !== undefined) for (const j of writes) if (ArrayBuffer.isView(args[j])) this.written.add(args[j] as Buffer);
    return result;
  }

  private classify(fn: string, a: unknown, j: number, written: boolean): Arg {
    const attr = DYNAMIC[fn]?.[j];
    if (attr !== undefined && typeof a === 'number') return { kind: 'dynamic', attr, value: a };
    if (!(a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array)) {
      if (ArrayBuffer.isView(a)) return { kind: 'constant', buffer: (a as unknown as Float32Array).slice() as unknown as Buffer };
      return { kind: 'value', value: Array.isArray(a) ? a.slice() : a };
    }
    const state = this.state.get(a);
    if (state !== undefined) return { kind: 'state', buffer: a, variable: state };
    const bound = this.bound.get(a);
    if (bound !== undefined) {
      if (written) this.refuse(`kernel ${this.kernelName} writes into an input of the step`);
      return { kind: 'bound', index: bound };
    }
    let slot = this.slots.get(a);
    if (slot === undefined && written) {
      if (this.constants.has(a)) this.refuse(`kernel ${this.kernelName} writes into a buffer made outside the step`);
      slot = this.arena.push({ dtype: DTYPE_OF(a), length: a.length }) - 1;
      this.slots.set(a, slot);
    }
    if (slot !== undefined) return { kind: 'arena', slot };
    this.constants.add(a);
    return { kind: 'constant', buffer: a.slice() };
  }
}

/** Which runner replays programs: 'native' (the addon's one-call runner where it can) or 'loop' (always the loop from JavaScript; benches and tests compare the two). */
export const replayRunner: { mode: 'native' | 'loop' } = { mode: 'native' };

/**
 * A recorded program, ready to run: its calls' arguments resolved once, the bound and dynamic ones
 * patched each run. It runs as one call of the addon's runner (capture.cc: the program is handed
 * over once, each run passes the batch's buffers and this step's numbers), or, where the runner
 * cannot take the program (loopReason says why) or replayRunner.mode is 'loop', as a loop over the
 * same addon functions from JavaScript.
 */
export class NativeReplay {
  private readonly fns: Array<(...a: unknown[]) => unknown> = [];
  private readonly args: unknown[][] = [];
  private readonly arena: Buffer[];
  private readonly bound: Array<[call: number, arg: number, input: number]> = [];
  /** Numbers patched each run: an attr of the step's, by name, or a part of a random draw. */
  private readonly dynamic: Array<[call: number, arg: number, from: string | { draw: number; part: number }]> = [];
  private readonly state: Array<[tfc.Variable, Buffer]> = [];
  /** Each bound input's buffer at the first run: later ones must match its type and length. */
  private readonly inputKinds: Array<Buffer | undefined> = [];
  private readonly dynamics: Float64Array;
  private readonly native: object | null = null;
  /** Why the runner cannot take this program, so that it replays as the loop from JavaScript; null where the runner replays it or the loop was asked for. */
  readonly loopReason: string | null = null;

  constructor(
    private readonly backend: NativeBackend,
    private readonly program: Program,
  ) {
    this.arena = program.arena.map((s) => new MAKE[s.dtype](s.length));
    const addon = backend.addon as unknown as Record<string, (...a: unknown[]) => unknown>;
    const seen = new Set<tfc.Variable>();
    program.calls.forEach((c, i) => {
      this.fns.push(addon[c.fn]);
      this.args.push(
        c.args.map((a, j) => {
          if (a.kind === 'bound') this.bound.push([i, j, a.index]);
          if (a.kind === 'dynamic') this.dynamic.push([i, j, a.attr]);
          if (a.kind === 'random') this.dynamic.push([i, j, { draw: a.draw, part: a.part }]);
          if (a.kind === 'state' && !seen.has(a.variable)) (seen.add(a.variable), this.state.push([a.variable, a.buffer]));
          return a.kind === 'arena' ? this.arena[a.slot] : a.kind === 'state' || a.kind === 'constant' ? a.buffer : a.kind === 'value' || a.kind === 'dynamic' || a.kind === 'random' ? a.value : null;
        }),
      );
    });
    this.dynamics = new Float64Array(this.dynamic.length);
    if (replayRunner.mode === 'loop') return;
    if (backend.addon.captureCreate === undefined) {
      this.loopReason = 'this build of the addon has no one-call runner (help: rebuild it, npx keras-ts build-native)';
      return;
    }
    try {
      const triples = (list: Array<[number, number, unknown]>, index: (t: [number, number, unknown], k: number) => number): Int32Array =>
        Int32Array.from(list.flatMap((t, k) => [t[0], t[1], index(t, k)]));
      this.native = backend.addon.captureCreate(
        program.calls.map((c) => c.fn),
        this.args,
        triples(this.bound, (t) => t[2] as number),
        triples(this.dynamic, (_, k) => k),
      );
    } catch (e) {
      this.loopReason = `the addon's one-call runner cannot take it: ${(e as Error).message.replace(/^keras-ts native captureCreate: /, '')}`;
    }
  }

  /** 'native' where one call of the addon's runner replays the program, 'loop' where the loop from JavaScript does. */
  get runner(): 'native' | 'loop' {
    return this.native === null ? 'loop' : 'native';
  }

  /** Why the program no longer fits its variables (one was replaced: setWeights, a reset optimizer), null while it does. */
  stale(): string | null {
    for (const [v, b] of this.state) if (v.isDisposed || bufferOf(this.backend, v) !== b) return `variable ${v.name} has new values`;
    return null;
  }

  /** Runs the program on `inputs` with this step's attrs; its outputs as new tensors, or null where an input does not fit the recording. */
  run(inputs: tfc.Tensor[], attrs: Record<string, number | boolean> | null): tfc.Tensor[] | null {
    const buffers: Buffer[] = [];
    for (let k = 0; k < inputs.length; k++) {
      const b = bufferOf(this.backend, inputs[k]);
      const was = this.inputKinds[k];
      if (b === undefined || (was !== undefined && (b.constructor !== was.constructor || b.length !== was.length))) return null;
      buffers.push(b);
    }
    for (const [, , k] of this.bound) if (buffers[k] === undefined) return null;
    buffers.forEach((b, k) => (this.inputKinds[k] ??= b));
    for (let i = 0; i < this.dynamic.length; i++) {
      const from = this.dynamic[i][2];
      if (typeof from !== 'string') continue;
      const value = attrs?.[from];
      if (typeof value !== 'number') return null;
      this.dynamics[i] = value;
    }
    const drawn = this.program.draws.map((draw) => draw()); // only once the replay is sure to run: each draw advances a seed generator
    this.dynamic.forEach(([, , from], i) => {
      if (typeof from !== 'string') this.dynamics[i] = drawn[from.draw][from.part];
    });
    if (this.native !== null) (this.backend.addon.captureRun as NonNullable<NativeAddon['captureRun']>)(this.native, buffers, this.dynamics);
    else {
      for (const [c, j, k] of this.bound) this.args[c][j] = buffers[k];
      this.dynamic.forEach(([c, j], i) => (this.args[c][j] = this.dynamics[i]));
      for (let i = 0; i < this.fns.length; i++) this.fns[i](...this.args[i]);
    }
    const engine = tfc.engine();
    return this.program.outputs.map((o) => engine.makeTensor(this.arena[o.slot].slice(), o.shape, o.dtype, this.backend));
  }
}
