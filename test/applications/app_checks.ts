/**
 * Shared checks of the application tests (resnet, vgg, inception, xception, densenet, nasnet):
 * parameter counts as Keras's summary gives them, and a temporary Keras cache folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import type * as k from '../../src';
import { expectNoLeak } from '../helpers';

/** [total, trainable, non-trainable] parameters, as Keras's `model.summary()` counts them. */
export function counts(m: k.Model): [number, number, number] {
  const size = (ws: k.Weight[]): number => ws.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
  const trainable = size(m.trainableWeights);
  return [m.countParams(), trainable, m.countParams() - trainable];
}

/** Runs `fn` with KERAS_HOME set to a new empty folder (given to `fn`), then restores it and removes the folder. */
export async function withKerasHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-home-'));
  const saved = process.env.KERAS_HOME;
  process.env.KERAS_HOME = home;
  try {
    await fn(home);
  } finally {
    if (saved === undefined) delete process.env.KERAS_HOME;
    else process.env.KERAS_HOME = saved;
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The URL folder of Keras's application weights (Keras's source). */
export const KERAS_APPS_URL = 'https://storage.googleapis.com/tensorflow/keras-applications/';

/** A nested array or tensor of numbers as a flat list. */
export function flat(x: tfc.Tensor | unknown[]): number[] {
  return x instanceof tfc.Tensor ? Array.from(x.dataSync()) : (x.flat(Infinity) as number[]);
}

/**
 * Predicts one random image of the model's input size (its weights created first: they are made on
 * first use) and checks the output shape, that softmax rows sum to 1, and that no tensor is left
 * behind; disposes the model.
 */
export async function predictsWithoutLeak(m: k.Model, classes = 5): Promise<void> {
  const [, h, w, c] = m.inputs[0].shape as number[];
  const x = tfc.randomUniform([1, h, w, c], -1, 1, 'float32', 3);
  m.weights.forEach((w) => w.value);
  await expectNoLeak(async () => {
    const y = m.predict(x) as tfc.Tensor;
    expect(y.shape).toEqual([1, classes]);
    const total = y.sum();
    expect((await total.data())[0]).toBeCloseTo(1, 4);
    tfc.dispose([y, total]);
  });
  x.dispose();
  m.dispose();
}
