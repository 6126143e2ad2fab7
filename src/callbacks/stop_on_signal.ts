/**
 * StopOnSignal: Ctrl-C ends training gracefully, on request. While fit runs, the first SIGINT (or
 * another of `signals`) sets model.stopTraining: fit ends after the batch in progress, logs the
 * epoch so far, runs onTrainEnd and returns the History. A second signal ends the process as
 * Node's default would (raised again once this callback no longer listens). Without this callback, Ctrl-C during fit ends the process
 * at once (the progress bar gives the terminal back first), as in any Node program.
 *
 *   const history = await model.fit(x, y, { epochs: 100, callbacks: [new k.callbacks.StopOnSignal()] });
 *
 * keras-ts's own (Keras leaves Ctrl-C to Python's KeyboardInterrupt). In a data-parallel run give
 * it to every process, as mpirun forwards the signal to all.
 */
import { checkOptions, optionKeys } from '../engine/options';
import { ValueError } from '../engine/errors';
import { getLogger } from '../utils/logger';
import { BaseCallback } from './callback';
import { programListensFor } from './progbar_terminal';

/** A POSIX signal's name, as Node spells it ('SIGINT', 'SIGTERM', ...). */
export type SignalName = `SIG${string}`;

export interface StopOnSignalOptions {
  /** The signals that stop training. Keras: none (keras-ts's own). @default ['SIGINT'] */
  signals?: SignalName[];
}

export class StopOnSignal extends BaseCallback {
  /** The signal that stopped the last fit, or null. */
  stoppedBy: SignalName | null = null;
  private readonly signals: NodeJS.Signals[];
  private listening = false;

  static readonly optionKeys = optionKeys<StopOnSignalOptions>()('signals');

  constructor(opts: StopOnSignalOptions = {}) {
    checkOptions('StopOnSignal', opts, StopOnSignal.optionKeys);
    super();
    const signals = opts.signals ?? ['SIGINT'];
    if (!Array.isArray(signals) || signals.length === 0 || signals.some((s) => typeof s !== 'string' || !/^SIG[A-Z0-9]+$/.test(s))) {
      throw new ValueError(`StopOnSignal: signals must be a non-empty list of signal names, got ${JSON.stringify(signals)}. help: e.g. {signals: ['SIGINT', 'SIGTERM']}.`);
    }
    this.signals = signals as NodeJS.Signals[];
  }

  onTrainBegin(): void {
    this.stoppedBy = null;
    this.listen(true);
  }

  onTrainEnd(): void {
    this.listen(false);
    if (this.stoppedBy !== null) getLogger().warn(`StopOnSignal: training stopped on ${this.stoppedBy}.\n`);
  }

  onTrainExit(): void {
    this.listen(false);
  }

  private listen(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    for (const s of this.signals) {
      if (on) process.on(s, this.onSignal);
      else process.removeListener(s, this.onSignal);
    }
  }

  /**
   * The first signal stops training. The second is the user insisting: this callback stops
   * listening and raises it again, so a progress bar gives the terminal back and the process
   * ends as Node's default would (unless the program listens for it itself: then it decides).
   */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.stoppedBy === null) {
      this.stoppedBy = signal;
      if (this.model) this.model.stopTraining = true;
      return;
    }
    this.listen(false);
    if (!programListensFor(signal)) process.kill(process.pid, signal);
  };
}
