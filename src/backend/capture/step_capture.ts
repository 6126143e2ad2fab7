/**
 * A captured training step (compile's `jitCompile`): the one function the training loop calls.
 * Per shape of the step's inputs: the first step runs eagerly (it makes the optimizer's slots),
 * the next two run eagerly while recorded (program.ts); when both recordings agree on everything
 * a replay depends on, every later step of that shape is replayed (native_capture.ts: in one call
 * of the addon's runner, or as a loop of addon calls where the runner cannot, with one line). A step
 * that cannot be captured runs eagerly, with one line saying why (through the logger) (once per reason), and
 * is never replayed: a backend without capture (only 'native' has one; `'auto'` says nothing
 * there), an optimizer whose step is not one fused kernel, or a recording refused.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../native/native_backend';
import { NativeRecorder, NativeReplay } from './native_capture';
import { differs, Program } from './program';

/** compile's `jitCompile`: true captures where the backend can and says why not elsewhere; 'auto' says nothing on a backend without capture. */
export type JitCompile = boolean | 'auto';

/** One step, as the training loop hands it over. */
export interface StepToCapture {
  /** The step's inputs (x, y, sample weights): bound anew at each replay. */
  inputs: tfc.Tensor[];
  /** Runs the step eagerly; its outputs (the loss, the predictions). */
  eager: () => tfc.Tensor[];
  /** The optimizer kernel's attrs for this step (optimizer.nextFusedAttrs); null where the update is not one fused kernel. */
  attrs: () => Record<string, number | boolean> | null;
  /** Called after a replay (the optimizer counts the step). */
  replayed: () => void;
}

interface ShapeState {
  eagerRuns: number;
  first: Program | null;
  replay: NativeReplay | null;
  refused: boolean;
}

export class StepCapture {
  private readonly byShape = new Map<string, ShapeState>();
  private readonly said = new Set<string>();
  /** Steps replayed and steps recorded so far (for tests and reports). */
  readonly counts = { replayed: 0, recorded: 0, eager: 0 };
  /** Replays by runner: one call of the addon's runner, or the loop of addon calls from JavaScript. */
  readonly runners = { native: 0, loop: 0 };

  /** `say` writes one line (the model's logger's warning). */
  constructor(
    readonly mode: JitCompile,
    private readonly owner: string,
    private readonly say_: (line: string) => void,
  ) {}

  /** Runs one step: replayed where a program of its shape is recorded, else eagerly (recorded where it can be). */
  run(step: StepToCapture): tfc.Tensor[] {
    if (tfc.getBackend() !== 'native') {
      if (this.mode === true) this.say(`runs eagerly on '${tfc.getBackend()}': only the 'native' backend captures steps`);
      return this.eager(step);
    }
    const backend = tfc.backend() as unknown as NativeBackend;
    const key = step.inputs.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(' ');
    let state = this.byShape.get(key);
    if (state === undefined) this.byShape.set(key, (state = { eagerRuns: 0, first: null, replay: null, refused: false }));
    if (state.refused) return this.eager(step);
    if (state.replay !== null) {
      const out = state.replay.stale() === null ? state.replay.run(step.inputs, step.attrs()) : null;
      if (out !== null) {
        step.replayed();
        this.counts.replayed++;
        this.runners[state.replay.runner]++;
        return out;
      }
      // A variable was replaced (setWeights): warm up and record again (the warm-up step gives it a buffer updated in place).
      Object.assign(state, { eagerRuns: 0, first: null, replay: null });
    }
    if (state.eagerRuns++ === 0) return this.eager(step);
    if (step.attrs() === null) return this.refuse(state, step, "the optimizer's update is not one fused kernel (only SGD, Adam, AdamW, RMSprop and Adagrad are)");
    const recorder = new NativeRecorder(backend, step.inputs);
    recorder.start();
    let out: tfc.Tensor[];
    try {
      out = step.eager();
    } finally {
      recorder.stop();
    }
    this.counts.recorded++;
    const program = recorder.finish(out);
    if (typeof program === 'string') return this.refuse(state, null, program, out);
    if (state.first === null) state.first = program;
    else {
      const why = differs(state.first, program);
      if (why !== null) return this.refuse(state, null, `two recordings differ: ${why}`, out);
      [state.first, state.replay] = [null, new NativeReplay(backend, program)];
      if (state.replay.loopReason !== null) this.say(`replays as a loop of addon calls from JavaScript: ${state.replay.loopReason}`);
    }
    return out;
  }

  private eager(step: StepToCapture): tfc.Tensor[] {
    this.counts.eager++;
    return step.eager();
  }

  private refuse(state: ShapeState, step: StepToCapture | null, reason: string, out?: tfc.Tensor[]): tfc.Tensor[] {
    state.refused = true;
    state.first = null;
    this.say(`runs eagerly: ${reason}`);
    return out ?? this.eager(step as StepToCapture);
  }

  private say(what: string): void {
    if (this.said.has(what)) return;
    this.said.add(what);
    this.say_(`keras-ts: ${this.owner} jitCompile: the training step ${what}.`);
  }
}
