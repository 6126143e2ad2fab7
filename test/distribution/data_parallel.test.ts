/**
 * DataParallel in one process (no MPI launcher): fit exactly as without it; the pieces the
 * multi-process path is built of (sharding, packing, metric variables) against values worked by
 * hand; option and launcher errors with their fix. The 2-process behaviour is in mpi.test.ts.
 */
import * as k from '../../src';
import { shardOf } from '../../src/distribution/sharding';
import { pack, unpack } from '../../src/distribution/packing';
import { launchedSize } from '../../src/distribution/communicator';
import { expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});
afterEach(() => k.distribution.setDistribution(null));

describe('sharding', () => {
  test('the parts of a global batch are contiguous, disjoint, cover every row, and weigh rows/globalRows', () => {
    for (let size = 1; size <= 5; size++) {
      for (let rows = size; rows <= 40; rows++) {
        const parts = Array.from({ length: size }, (_, r) => shardOf(rows, size, r));
        let next = 0;
        for (const p of parts) {
          expect(p.start).toBe(next);
          next += p.rows;
          expect(p.weight).toBeCloseTo(p.rows / rows, 12);
          expect(p.globalRows).toBe(rows);
        }
        expect(next).toBe(rows);
      }
    }
    expect(shardOf(32, 2, 0)).toEqual({ start: 0, rows: 16, globalRows: 32, weight: 0.5 });
    expect(shardOf(33, 2, 1)).toEqual({ start: 16, rows: 17, globalRows: 33, weight: 17 / 33 });
  });

  test('a process left without rows (fewer rows than processes) gets one stand-in row of weight 0', () => {
    // 1 row over 2 processes: parts [0, 0) and [0, 1); rank 0 stands in with a copy of row 0 that adds nothing.
    expect(shardOf(1, 2, 0)).toEqual({ start: 0, rows: 1, globalRows: 1, weight: 0 });
    expect(shardOf(1, 2, 1)).toEqual({ start: 0, rows: 1, globalRows: 1, weight: 1 });
    expect(shardOf(2, 3, 0).weight).toBe(0); // floor(0)..floor(2/3): empty
    expect(shardOf(2, 3, 1)).toEqual({ start: 0, rows: 1, globalRows: 2, weight: 0.5 });
  });
});

describe('packing', () => {
  test('tensors go into one buffer, scaled, and come back in their shapes', () => {
    const a = k.tf.tensor2d([[1, 2], [3, 4]]);
    const b = k.tf.tensor1d([5, 6, 7]);
    const buffer = pack([a, b], 0.5);
    expect(Array.from(buffer)).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    const [a2, b2] = unpack(buffer, [[2, 2], [3]]);
    expect(a2.shape).toEqual([2, 2]);
    expect(Array.from(a2.dataSync())).toEqual([0.5, 1, 1.5, 2]);
    expect(Array.from(b2.dataSync())).toEqual([2.5, 3, 3.5]);
    k.tf.dispose([a, b, a2, b2]);
  });
});

test('a metric exposes its state variables, those of the metrics it is built from included', () => {
  const mean = new k.metrics.Mean();
  expect(mean.variables).toHaveLength(2); // total, count
  const accuracy = new k.metrics.CategoricalAccuracy();
  expect(accuracy.variables).toHaveLength(2); // through its inner Mean
  const auc = new k.metrics.AUC({ numThresholds: 10 });
  expect(auc.variables.map((v) => v.shape)).toEqual([[10], [10], [10], [10]]); // tp, fp, tn, fn
  [mean, accuracy, auc].forEach((m) => m.dispose());
});

describe('one process', () => {
  test('without a launcher, DataParallel is one process and fit, evaluate and predict are exactly those without it', async () => {
    const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i * 0.3), (i % 7) / 7]);
    const y = x.map((r) => [r[0] + r[1] > 0 ? 1 : 0]);
    const train = async (): Promise<{ weights: number[][]; loss: number[]; evaluation: number[]; predicted: number[] }> => {
      k.utils.setRandomSeed(3);
      const model = new k.Sequential([
        new k.layers.Dense({ units: 8, activation: 'relu', inputShape: [3] }),
        new k.layers.BatchNormalization({ synchronized: true }),
        new k.layers.Dense({ units: 1, activation: 'sigmoid' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      const evaluation = (await model.evaluate(x, y)) as number[];
      const p = model.predict(x) as k.tf.Tensor;
      const weights = model.getWeights();
      const out = { weights: weights.map((w) => Array.from(w.dataSync())), loss: history.history.loss, evaluation, predicted: Array.from(p.dataSync()) };
      k.tf.dispose([p, ...weights]);
      model.dispose();
      return out;
    };
    const plain = await train();
    await expectNoLeak(() => train().then(() => undefined));
    const dp = new k.distribution.DataParallel();
    expect([dp.rank, dp.size, dp.library, dp.isRankZero, dp.communicator]).toEqual([0, 1, null, true, null]);
    k.distribution.setDistribution(dp);
    expect(k.distribution.distribution()).toBe(dp);
    const distributed = await train();
    expect(distributed).toEqual(plain); // bit for bit
    expect(dp.stats.steps).toBe(0); // nothing went through the distribution
    await expectNoLeak(() => train().then(() => undefined));
  });

  test('BatchNormalization `synchronized` is saved in the config and checked', () => {
    const bn = new k.layers.BatchNormalization({ synchronized: true });
    expect(bn.getConfig().synchronized).toBe(true);
    expect(k.layers.BatchNormalization.fromConfig(bn.getConfig()).synchronized).toBe(true);
    expect(new k.layers.BatchNormalization().synchronized).toBe(false);
    expect(() => new k.layers.BatchNormalization({ synchronized: 'yes' as unknown as boolean })).toThrow(/`synchronized` must be true or false, got "yes". help:/);
  });
});

describe('errors', () => {
  test('options are checked, with the fix', () => {
    expect(() => new k.distribution.DataParallel({ timeout: 5 } as never)).toThrow(/DataParallel: unknown option 'timeout'.*timeoutSeconds/);
    expect(() => new k.distribution.DataParallel({ timeoutSeconds: -1 })).toThrow(/`timeoutSeconds` must be a number of seconds >= 0, got -1\. help:/);
    expect(() => k.distribution.setDistribution('data_parallel' as never)).toThrow(/setDistribution: expected a DataParallel or null, got string\. help:/);
  });

  test('the launcher is recognized from its environment', () => {
    expect(launchedSize({})).toBeNull();
    expect(launchedSize({ OMPI_COMM_WORLD_SIZE: '4' })).toEqual({ size: 4, variable: 'OMPI_COMM_WORLD_SIZE' });
    expect(launchedSize({ PMI_SIZE: '2' })).toEqual({ size: 2, variable: 'PMI_SIZE' });
    expect(launchedSize({ OMPI_COMM_WORLD_SIZE: 'x' })).toBeNull();
  });

  test('started by mpirun without the MPI binding built: the error names the commands that build it', () => {
    const saved = { ...process.env };
    process.env.OMPI_COMM_WORLD_SIZE = '2';
    process.env.KERAS_MPI_ADDON = '/nonexistent/keras_mpi.node';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('../../src/distribution/data_parallel') as typeof import('../../src/distribution/data_parallel');
        expect(() => new fresh.DataParallel()).toThrow(
          /DataParallel: this process was started by an MPI launcher \(OMPI_COMM_WORLD_SIZE=2\) but keras-ts's MPI binding is not built \(no \/nonexistent\/keras_mpi\.node\)\. help: apt-get install openmpi-bin libopenmpi-dev, then npx keras-ts build-mpi/,
        );
      });
    } finally {
      process.env = saved;
    }
  });
});
