import { Callback } from './callback';

/** A callback made of the functions given: `new LambdaCallback({ onEpochEnd: (epoch, logs) => ... })`. */
export class LambdaCallback implements Callback {
  constructor(hooks: Callback) {
    Object.assign(this, hooks);
  }
}
