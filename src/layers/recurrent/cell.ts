/**
 * What an RNN cell is: a layer that computes one time step from the step's input and the states,
 * and says how many states it carries. `RNN` runs a cell over a sequence; LSTM, GRU and SimpleRNN
 * are RNNs of the cells in this folder. A custom cell extends RNNCell and implements `step`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import type { CallContext } from '../../engine/layer';
import { MultiInputLayer } from '../../engine/multi_input_layer';
import { formatShape, Shape } from '../../engine/symbolic_tensor';

export interface StepResult {
  output: tfc.Tensor;
  states: tfc.Tensor[];
}

/** What the fast path of a built-in cell returns: the state after each step, stacked (see ops/recurrent.ts). */
export interface SequenceRun {
  /** [T, B, units]: h after each step (kept through masked steps). */
  hs: tfc.Tensor;
  /** Every state after the last step. */
  finalStates: tfc.Tensor[];
}

export abstract class RNNCell extends MultiInputLayer {
  /** The size of each state (LSTM: [units, units]). */
  abstract readonly stateSize: number[];
  /** The size of the output of one step. */
  abstract get outputSize(): number;

  /** One time step: x [batch, features] and the states -> the output and the new states. */
  abstract step(x: tfc.Tensor, states: tfc.Tensor[], ctx: CallContext): StepResult;

  /** The rank of one step's input, batch included: 2 (batch, features); a convolutional cell's is higher. */
  get stepRank(): number {
    return 2;
  }

  /** The shape of one step's output for a step input of `stepShape` (batch first). */
  stepOutputShape(stepShape: Shape): Shape {
    return [stepShape[0], this.outputSize];
  }

  /** The shape of each state for a step input of `stepShape` (batch first). */
  stateShapes(stepShape: Shape): Shape[] {
    return this.stateSize.map((s) => [stepShape[0], s]);
  }

  /** Zeros for each state, for a batch of `batch`. */
  initialStates(batch: number): tfc.Tensor[] {
    return this.stateSize.map((size) => tfc.zeros([batch, size]));
  }

  /** Called by RNN before the first step of a sequence (e.g. to draw dropout masks) and after the last. */
  beginSequence(batch: number, features: number, ctx: CallContext): void {
    void batch;
    void features;
    void ctx;
  }
  endSequence(): void {}

  /**
   * The whole sequence at once, when the cell has a written-out fast path for this call; null
   * sends RNN to the step-by-step loop. `x` is time-major [T, B, F] (a cell of higher stepRank gets
   * [T, B, ...step] and returns null); `mask` is [T, B] 0/1.
   */
  runSequence(x: tfc.Tensor3D, states: tfc.Tensor[], mask: tfc.Tensor | null, ctx: CallContext): SequenceRun | null {
    void x;
    void states;
    void mask;
    void ctx;
    return null;
  }

  /** Any input rank is checked by the RNN that holds the cell. */
  protected override get fixedAxes(): number[] | null {
    return [-1];
  }

  /** A cell used on its own: apply([x, ...states]) gives [output, ...newStates]. */
  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[] {
    const [x, ...given] = inputs;
    const states = given.length > 0 ? given : this.initialStates(x.shape[0]);
    if (states.length !== this.stateSize.length) {
      throw new ValueError(
        `${this.name} (${this.className}): got ${states.length} states, the cell has ${this.stateSize.length}. ` +
          'help: apply the cell to [x, ...states] with one [batch, size] tensor per state.',
      );
    }
    const out = this.step(x, states, ctx);
    return [out.output, ...out.states];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const first = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (first.length !== 2) {
      throw new ValueError(
        `${this.name} (${this.className}): a cell takes one step of shape (batch, features), got ${formatShape(first)}. ` +
          'help: wrap the cell in an RNN layer to run it over a sequence, e.g. new RNN({cell}).',
      );
    }
    return [[first[0], this.outputSize], ...this.stateSize.map((s) => [first[0], s] as Shape)];
  }
}
