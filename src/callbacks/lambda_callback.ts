import { checkOptions, optionKeys } from '../engine/options';
import { Callback } from './callback';

/** A callback made of the functions given: `new LambdaCallback({ onEpochEnd: (epoch, logs) => ... })`. */
export class LambdaCallback implements Callback {
  static readonly optionKeys = optionKeys<Callback>()(
    'setModel', 'setParams', 'onTrainBegin', 'onTrainEnd', 'onTrainExit', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onBatchEndLazy', 'onTestBegin', 'onTestEnd',
    'rankZeroOnly',
  );

  constructor(hooks: Callback) {
    checkOptions('LambdaCallback', hooks, LambdaCallback.optionKeys);
    Object.assign(this, hooks);
  }
}
