/**
 * Keras's own files: models saved by Keras 2 (SimpleRNN, LSTM, causal Conv1D), loaded with
 * k.models.loadModel, predict what Keras predicted for the inputs saved beside them.
 */
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose } from '../helpers';
import { openH5, tensorOf } from '../keras_h5';

const dir = path.join(__dirname, '..', 'fixtures', 'keras-h5');

const cases: Array<[string, string, string]> = [
  ['simple_rnn_tf_keras_2', 'inputs/simple_rnn_1_input', 'predictions/dense_1'],
  ['simple_flatten_lstm_tf_keras_2', 'inputs/lstm_1_input', 'predictions/dense_1'],
  ['causal_conv1d_k3_s1_d2_cl', 'inputs/conv0_input', 'predictions/conv0'],
];

// simple_lstm_tf_keras_2's file holds its training targets under outputs/, not Keras's predictions;
// these are the predictions from its weights by Keras 2's LSTM formula in NumPy
// (test/reference/keras_h5_references.py).
const SIMPLE_LSTM_PREDICTIONS = [6.8589886, 7.5254661, 0.4934253, 2.2336054, 1.3828127, 6.2354282, 3.0276248, -8.5056838, 5.6868262, -3.2334081, -0.2772670, -8.3318093, -2.0225496, -7.9470770, -6.0446843, 1.7276657, -0.0872114, 0.0733467, 0.8285389, -3.7046898, -3.9926511, 8.3772578, 0.0647122, -7.4347764, 0.7970393, 1.1288048, 0.9601323, -2.0871022, 1.7988127, -7.3255136, 2.1313056, -1.9905013, -8.1777791, 2.1970763, -2.4402422, -7.8074308, -1.6950538, 6.0568497, 6.8480587, 0.5343455, 8.3933781, -0.3107916, 0.4822518, -0.4659649, 0.3772344, 5.8491866, -8.2281785, -8.2183677, -0.4686258, 1.7914313, 8.3684245, -6.6507434, -2.1773181, -8.4525669, -8.2447107, 0.5205721, 2.9167653, 0.4626937, 8.3538411, 2.7656517, -4.7049157, -7.2942377, -2.4407249, 3.5651738, -0.4176169, -7.4562739, -6.5156899, 8.3974447, 1.4821940, -0.6307963, 8.3566302, 7.7675463, 6.5508579, 5.4744979, -1.7898546, 1.0909841, -8.6650681, 0.9861612, 7.7837999, -8.1524321, -7.4177942, 1.2838053, 1.7663139, 1.2737323, 7.4988367, -8.3044593, -8.1054034, 4.2514508, 0.7636433, -3.4954869, -0.3581437, -3.2466709, -0.1522683, 0.7862877, 7.3754733, -0.4610170, -8.3782797, -7.9993011, 1.6220232, -1.8859674];

describe.each(['cpu', 'wasm'] as k.BackendName[])('on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test.each(cases)('%s predicts Keras\'s outputs to 1e-5', async (name, input, output) => {
    const model = await k.models.loadModel(path.join(dir, `${name}_model.h5`));
    const io = await openH5(path.join(dir, `${name}_inputs_and_outputs.h5`));
    const x = tensorOf(io, input);
    const expected = tensorOf(io, output);
    io.close();
    const before = tfc.memory().numTensors;
    const y = model.predict(x, { batchSize: x.shape[0] }) as tfc.Tensor;
    expect(y.shape).toEqual(expected.shape);
    expectClose(y, Array.from(expected.dataSync()), 1e-5);
    y.dispose();
    expect(tfc.memory().numTensors).toBe(before);
    tfc.dispose([x, expected]);
    model.dispose();
  });

  test('simple_lstm_tf_keras_2 (Keras 2.0.6, hard_sigmoid gates) predicts what its weights give by Keras 2\'s formula', async () => {
    const model = await k.models.loadModel(path.join(dir, 'simple_lstm_tf_keras_2_model.h5'));
    const io = await openH5(path.join(dir, 'simple_lstm_tf_keras_2_inputs_and_outputs.h5'));
    const x = tensorOf(io, 'inputs/lstm_1_input');
    io.close();
    const y = model.predict(x, { batchSize: 25 }) as tfc.Tensor;
    expectClose(y, SIMPLE_LSTM_PREDICTIONS, 1e-5);
    tfc.dispose([x, y]);
    model.dispose();
  });
});
