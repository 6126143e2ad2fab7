/**
 * The recording/replay contract of a captured step, shared by every backend that can capture: a
 * step is recorded once as a Program, a list of calls of the backend's own kernel functions with
 * every buffer resolved to a slot, and replayed with new bound inputs in place of the recorded
 * ones. A backend maps a Program onto its own runner (native: a loop over the addon's functions;
 * a GPU backend could map it onto a CUDA graph). Slots:
 * - bound: the step's inputs (x, y, sample weights), replaced at each replay, index into them;
 * - state: a variable's buffer (weights, optimizer slots), updated in place by the program;
 * - arena: an intermediate, a buffer the program owns (kept between replays);
 * - constant: a buffer made before the step or outside any kernel, copied when recorded;
 * - dynamic: a number that changes each step (the optimizer's learning rate), by attr name;
 * - random: one number of a kernel's random state (Dropout's alea state), drawn anew for each replay
 *   by the program's `draws` (in the recorded order, advancing the same seed generators an eager step would);
 * - value: any other argument (numbers, shapes), as recorded.
 */
import type * as tfc from '@tensorflow/tfjs-core';

export type Buffer = Float32Array | Int32Array | Uint8Array;

export type Arg =
  | { kind: 'bound'; index: number }
  | { kind: 'state'; buffer: Buffer; variable: tfc.Variable }
  | { kind: 'arena'; slot: number }
  | { kind: 'constant'; buffer: Buffer }
  | { kind: 'dynamic'; attr: string; value: number }
  | { kind: 'random'; draw: number; part: number; value: number }
  | { kind: 'value'; value: unknown };

export interface RecordedCall {
  /** The backend's function. */
  fn: string;
  /** The kernel it ran for. */
  kernel: string;
  args: Arg[];
}

export interface Program {
  calls: RecordedCall[];
  /** Each arena slot's buffer type and length. */
  arena: Array<{ dtype: 'float32' | 'int32' | 'bool'; length: number }>;
  /** The step's outputs: the arena slot each lives in, its shape and dtype. */
  outputs: Array<{ slot: number; shape: number[]; dtype: tfc.DataType }>;
  /** Each random kernel call's next state, in the order the step ran them (the `random` args' `draw`). */
  draws: Array<() => number[]>;
}

/** Why two recordings of the same step differ in what a replay depends on (null when they agree). */
export function differs(a: Program, b: Program): string | null {
  if (a.calls.length !== b.calls.length) return `it ran ${a.calls.length} then ${b.calls.length} kernel calls`;
  for (let i = 0; i < a.calls.length; i++) {
    const [ca, cb] = [a.calls[i], b.calls[i]];
    if (ca.fn !== cb.fn || ca.args.length !== cb.args.length) return `call ${i} was ${ca.fn} then ${cb.fn}`;
    for (let j = 0; j < ca.args.length; j++) {
      const [x, y] = [ca.args[j], cb.args[j]];
      const where = `argument ${j} of ${ca.fn} (kernel ${ca.kernel})`;
      if (x.kind !== y.kind) return `${where} was a ${x.kind} then a ${y.kind} buffer`;
      if (x.kind === 'constant' && !sameValues(x.buffer, (y as typeof x).buffer)) return `${where} is a buffer made in JavaScript whose values change from step to step`;
      if (x.kind === 'value' && JSON.stringify(x.value) !== JSON.stringify((y as typeof x).value)) return `${where} changes from step to step`;
      if (x.kind === 'bound' && x.index !== (y as typeof x).index) return `${where} read another input`;
      if (x.kind === 'state' && x.variable !== (y as typeof x).variable) return `${where} read another variable`;
      if (x.kind === 'random' && (x.draw !== (y as typeof x).draw || x.part !== (y as typeof x).part)) return `${where} is another random draw`;
    }
  }
  return null;
}

function sameValues(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  return true;
}
