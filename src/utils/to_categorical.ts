import { ValueError } from '../engine/errors';

/** One-hot rows for integer labels, as Keras's to_categorical: n × numClasses values. */
export function toCategorical(labels: ArrayLike<number>, numClasses?: number): Float32Array {
  let classes = numClasses;
  if (classes === undefined) {
    classes = 0;
    for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i] + 1);
  }
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new ValueError(`toCategorical: label ${c} at index ${i} is not an integer in [0, ${classes}). help: pass class indices, or a larger numClasses.`);
    }
    out[i * classes + c] = 1;
  }
  return out;
}
