import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';
import { trajectory as run } from './quadratic';

// f(w) = sum(c w²) + d·w. Trajectories of three steps from test/reference/optimizer_references.py
// (NumPy, float64, the update rules written independently of this code).
const REF: Record<string, number[][]> = {
  adam_amsgrad: [[0.5000000643, -1.5000000112, 0.0000000321], [0.0341282523, -0.9847049290, -0.3193712365], [-0.3131494855, -0.5122205623, -0.4175013530]],
  adam_b2_05: [[0.5000000643, -1.5000000112, 0.0000000321], [-0.0216694265, -0.9847049290, -0.4479720557], [-0.5486704169, -0.4380041055, -0.4945329915]],
  adamw: [[0.9899600287, -1.9899200050, 0.4899800144], [0.9799229458, -1.9798416949, 0.4799656401], [0.9698904440, -1.9697659307, 0.4699604780]],
  rmsprop: [[0.9683772365, -1.9683772238, 0.4683772267], [0.9457552761, -1.9456012532, 0.4460897282], [0.9269759614, -1.9266140100, 0.4277659053]],
  rmsprop_momentum_centered: [[0.9666666820, -1.9666666671, 0.4666666705], [0.9115515549, -1.9113703017, 0.4119468435], [0.8404202912, -1.8396007825, 0.3422498415]],
  adagrad: [[0.9903892557, -1.9900125739, 0.4901017321], [0.9834915783, -1.9829628412, 0.4831317194], [0.9778380337, -1.9772139740, 0.4774635982]],
  adadelta: [[0.9985857876, -1.9985857865, 0.4985857867], [0.9971544570, -1.9971540269, 0.4971553550], [0.9957121648, -1.9957107219, 0.4957151895]],
  adamax: [[0.9900000009, -1.9900000002, 0.4900000005], [0.9800378866, -1.9800150781, 0.4800857805], [0.9701152077, -1.9700460813, 0.4702601295]],
  nadam: [[0.9893721229, -1.9893721221, 0.4893721224], [0.9816688920, -1.9816532689, 0.4817020678], [0.9746012913, -1.9745637675, 0.4746811388]],
  lion: [[0.9900000000, -1.9900000000, 0.4900000000], [0.9800000000, -1.9800000000, 0.4800000000], [0.9700000000, -1.9700000000, 0.4700000000]],
  sgd_clipnorm1: [[0.9837353544, -1.9068479388, 0.4674707088], [0.9669540862, -1.8136218941, 0.4354192869], [0.9496152163, -1.7203281675, 0.4038654574]],
  sgd_clipvalue05: [[0.9500000000, -1.9500000000, 0.4500000000], [0.9000000000, -1.9000000000, 0.4000000000], [0.8500000000, -1.8500000000, 0.3500000000]],
  sgd_exponential_decay: [[0.8900000000, -1.3700000000, 0.2800000000], [0.8199964287, -1.0581659095, 0.1866619049], [0.7739966072, -0.8844410231, 0.1393295239]],
};

beforeAll(async () => {
  await k.setBackend(testBackend());
});


const O = k.optimizers;
const cases: Array<[string, () => k.optimizers.Optimizer]> = [
  ['adam_amsgrad', () => new O.Adam({ learningRate: 0.5, beta2: 0.5, amsgrad: true })],
  ['adam_b2_05', () => new O.Adam({ learningRate: 0.5, beta2: 0.5 })],
  ['adamw', () => new O.AdamW({ learningRate: 0.01 })],
  ['rmsprop', () => new O.RMSprop({ learningRate: 0.01 })],
  ['rmsprop_momentum_centered', () => new O.RMSprop({ learningRate: 0.01, momentum: 0.9, centered: true })],
  ['adagrad', () => new O.Adagrad({ learningRate: 0.01 })],
  ['adadelta', () => new O.Adadelta({ learningRate: 1.0 })],
  ['adamax', () => new O.Adamax({ learningRate: 0.01 })],
  ['nadam', () => new O.Nadam({ learningRate: 0.01 })],
  ['lion', () => new O.Lion({ learningRate: 0.01 })],
  ['sgd_clipnorm1', () => new O.SGD({ learningRate: 0.1, clipnorm: 1 })],
  ['sgd_clipvalue05', () => new O.SGD({ learningRate: 0.1, clipvalue: 0.5 })],
  ['sgd_exponential_decay', () => new O.SGD({ learningRate: new O.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }) })],
];

test.each(cases)('%s: three steps match the reference to 1e-5', (name, make) => {
  expectClose(run(make()), REF[name], 1e-5);
});

test('globalClipnorm scales all gradients by one factor', () => {
  // one variable: global norm = its norm, so the result equals clipnorm's
  expectClose(run(new O.SGD({ learningRate: 0.1, globalClipnorm: 1 })), REF.sgd_clipnorm1, 1e-5);
});

test('AMSGrad differs from Adam once the second moment falls', () => {
  expect(REF.adam_amsgrad[1][0]).not.toBeCloseTo(REF.adam_b2_05[1][0], 3);
});

const S = O.schedules;
test.each([
  ['exponential (staircase)', new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5, staircase: true }), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]],
  ['inverse time', new S.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }), [0.1, 0.08, 0.0666666667, 0.0571428571, 0.05, 0.0444444444, 0.04]],
  ['piecewise constant', new S.PiecewiseConstantDecay({ boundaries: [2, 4], values: [1.0, 0.5, 0.1] }), [1, 1, 1, 0.5, 0.5, 0.1, 0.1]],
  ['polynomial', new S.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 4, endLearningRate: 0.01, power: 2 }), [0.1, 0.060625, 0.0325, 0.015625, 0.01, 0.01, 0.01]],
  ['cosine', new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 4, alpha: 0.1 }), [0.1, 0.0868198052, 0.055, 0.0231801948, 0.01, 0.01, 0.01]],
  ['cosine with warmup', new S.CosineDecay({ initialLearningRate: 0, decaySteps: 4, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 2 }), [0, 0.05, 0.1, 0.0868198052, 0.055, 0.0231801948, 0.01]],
  ['cosine restarts', new S.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 2, tMul: 2, mMul: 0.5 }), [0.1, 0.05, 0.05, 0.0426776695, 0.025, 0.0073223305, 0.025]],
] as Array<[string, k.optimizers.schedules.LearningRateSchedule, number[]]>)('schedule %s at steps 0..6', (_name, schedule, expected) => {
  expectClose([0, 1, 2, 3, 4, 5, 6].map((s) => schedule.call(s)), expected, 1e-9);
});

test('every optimizer is reachable by its Keras name and round-trips through its config', () => {
  for (const name of ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'lion', 'RMSprop', 'AdamW']) {
    const opt = O.getOptimizer(name, 'test');
    const copy = O.deserializeOptimizer(JSON.parse(JSON.stringify(O.serializeOptimizer(opt))));
    expect(copy.className).toBe(opt.className);
    expect(copy.getConfig()).toEqual(opt.getConfig());
  }
  const scheduled = new O.Adam({ learningRate: new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }), clipnorm: 2 });
  const copy = O.deserializeOptimizer(JSON.parse(JSON.stringify(O.serializeOptimizer(scheduled))));
  expect(copy.schedule?.className).toBe('CosineDecay');
  expect(copy.learningRate).toBeCloseTo(0.1, 9);
  expect(copy.getConfig()).toEqual(scheduled.getConfig());
});

test('bad options are refused with the value and the fix', () => {
  expect(() => new O.SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm/);
  expect(() => new O.Adam({ clipnorm: -1 })).toThrow(/`clipnorm` must be a positive number, got -1/);
  expect(() => new O.Adam({ learningRate: 'fast' as unknown as number })).toThrow(/`learningRate` must be a non-negative number or a LearningRateSchedule, got fast/);
  expect(() => new O.Adam({ weightDecay: -0.1 })).toThrow(/`weightDecay` must be a positive number, got -0.1/);
  expect(() => new S.PiecewiseConstantDecay({ boundaries: [1, 2], values: [1] })).toThrow(/one more entry than `boundaries`/);
  const scheduled = new O.SGD({ learningRate: new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }) });
  expect(() => (scheduled.learningRate = 0.5)).toThrow(/follows a ExponentialDecay schedule and cannot be set/);
});

test('one optimizer shared by two models keeps separate slots per variable', async () => {
  const opt = new O.Adam({ learningRate: 0.01 });
  const make = (): k.Model => {
    const inputs = k.Input({ shape: [2] });
    return new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  };
  const a = make();
  const b = make();
  a.compile({ optimizer: opt, loss: 'mse' });
  b.compile({ optimizer: opt, loss: 'mse' });
  await a.fit([[1, 2]], [[1]], { verbose: 0 });
  await b.fit([[1, 2]], [[1]], { verbose: 0 });
  expect(opt.iterations).toBe(2);
  const live = tfc.memory().numTensors;
  await a.fit([[1, 2]], [[1]], { verbose: 0 });
  expect(tfc.memory().numTensors).toBe(live); // no new slots: a's were kept
  a.dispose();
  b.dispose();
});
