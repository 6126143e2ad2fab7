/**
 * Discretization, as Keras's: numbers to the index of their bin (np.digitize: bin i holds
 * boundaries[i-1] <= x < boundaries[i]), as ids or one-hot / multi-hot / count vectors. The
 * boundaries are given, or learned by adapt(data) from approximate quantiles with Keras's own
 * summary algorithm (quantile_summary.ts), so adapting on the same data gives Keras's boundaries.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig, optionsOf } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Shape } from '../../engine/symbolic_tensor';
import { oneOf } from '../args';
import { AdaptData, adaptBatches } from './adapt_data';
import { encodedShape, encodeIds } from './encode';
import { binBoundaries, mergeSummaries, Summary, summarize } from './quantile_summary';

type DiscretizationMode = 'int' | 'one_hot' | 'multi_hot' | 'count';

export interface DiscretizationArgs extends LayerArgs {
  /** Sorted bin edges: n edges make n + 1 bins. Keras: `bin_boundaries` @default null (learned by adapt) */
  binBoundaries?: number[] | null;
  /** How many bins adapt learns (instead of binBoundaries). Keras: `num_bins` @default null */
  numBins?: number | null;
  /** The approximation of adapt's quantiles (smaller: more exact, more memory). Keras: `epsilon` @default 0.01 */
  epsilon?: number;
  /** 'int' (bin ids), 'one_hot', 'multi_hot' or 'count'. Keras: `output_mode` @default 'int' */
  outputMode?: DiscretizationMode;
  /** Only false: tfjs has no sparse tensors. Keras: `sparse` @default false */
  sparse?: boolean;
}

export class Discretization extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<DiscretizationArgs>()(...LAYER_KEYS, 'binBoundaries', 'numBins', 'epsilon', 'outputMode', 'sparse');
  readonly className = 'Discretization';
  binBoundaries: number[] | null;
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: DiscretizationMode;
  private summary: Summary = [[], []];

  static override readonly positional = ['binBoundaries'];

  constructor(binBoundaries?: number[] | null, options?: Omit<DiscretizationArgs, 'binBoundaries'>);
  constructor(args?: DiscretizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<DiscretizationArgs | undefined>(new.target, given) ?? {};
    super({ ...args, dtype: (args?.outputMode ?? 'int') === 'int' ? 'int32' : args?.dtype }, args);
    const owner = `Discretization '${this.name}'`;
    this.outputMode = oneOf(args.outputMode, ['int', 'one_hot', 'multi_hot', 'count'] as const, 'int', 'outputMode', owner);
    if (args.sparse) throw new ValueError(`${owner}: \`sparse: true\` is not supported: tfjs has no sparse tensors. help: leave sparse out (dense output).`);
    const edges = args.binBoundaries ?? null;
    this.numBins = args.numBins ?? null;
    if (this.numBins !== null && !(Number.isInteger(this.numBins) && this.numBins >= 0)) {
      throw new ValueError(`${owner}: \`numBins\` must be an integer >= 0, got ${String(args.numBins)}. help: e.g. {numBins: 4}.`);
    }
    if (edges !== null && this.numBins !== null) {
      throw new ValueError(`${owner}: give \`binBoundaries\` or \`numBins\`, not both. help: {binBoundaries: [0, 1, 2]} or {numBins: 4} and adapt(data).`);
    }
    if (edges === null && this.numBins === null) throw new ValueError(`${owner}: give \`binBoundaries\` or \`numBins\`. help: {binBoundaries: [0, 1, 2]}, or {numBins: 4} then adapt(data).`);
    if (edges !== null && !(Array.isArray(edges) && edges.every((b, i) => typeof b === 'number' && (i === 0 || b >= edges[i - 1])))) {
      throw new ValueError(`${owner}: \`binBoundaries\` must be a sorted list of numbers, got ${JSON.stringify(edges)}. help: e.g. {binBoundaries: [0, 1, 2]}.`);
    }
    this.binBoundaries = edges;
    this.epsilon = args.epsilon ?? 0.01;
    if (!(this.epsilon > 0 && this.epsilon < 1)) throw new ValueError(`${owner}: \`epsilon\` must be in (0, 1), got ${String(args.epsilon)}. help: e.g. {epsilon: 0.01}.`);
  }

  protected override get fixedAxes(): null {
    return null;
  }

  /** Learns numBins - 1 boundaries from the data's approximate quantiles (Keras's algorithm), replacing any learned before. */
  adapt(data: AdaptData): void {
    const owner = `${this.name} (Discretization).adapt`;
    if (this.numBins === null) throw new ValueError(`${owner}: the layer was given binBoundaries. help: create it with {numBins} to adapt.`);
    this.summary = [[], []];
    tfc.tidy(() => {
      for (const batch of adaptBatches(data, owner, 'float32')) {
        this.summary = mergeSummaries(summarize(Array.from(tfc.cast(batch, 'float32').dataSync()), this.epsilon), this.summary, this.epsilon);
      }
    });
    this.binBoundaries = binBoundaries(this.summary, this.numBins);
  }

  private get depth(): number {
    return this.binBoundaries !== null ? this.binBoundaries.length + 1 : (this.numBins as number);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return encodedShape(inputShape as Shape, this.outputMode, this.depth);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    if (this.binBoundaries === null) {
      throw new ValueError(`${this.name} (Discretization): no bin boundaries yet. help: call adapt(data) first, or give {binBoundaries}.`);
    }
    const values = tfc.cast(x, 'float32');
    const edges = tfc.tensor1d(this.binBoundaries, 'float32');
    const ids = this.binBoundaries.length === 0 ? tfc.zeros(values.shape, 'int32') : tfc.sum(tfc.cast(tfc.greaterEqual(tfc.expandDims(values, -1), edges), 'int32'), -1);
    if (this.outputMode === 'int') return ids;
    return encodeIds(ids, this.outputMode, this.depth, `${this.name} (Discretization)`);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), binBoundaries: this.binBoundaries, numBins: this.numBins, epsilon: this.epsilon, outputMode: this.outputMode, sparse: false };
  }

  /** After adapt the config holds both numBins and the learned binBoundaries (as Keras's): the boundaries are set after construction. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const options = optionsOf(config) as DiscretizationArgs;
    if (options.binBoundaries === null || options.binBoundaries === undefined || options.numBins === null || options.numBins === undefined) return new this(options as never);
    const layer = new this({ ...options, binBoundaries: null } as never);
    (layer as unknown as Discretization).binBoundaries = options.binBoundaries;
    return layer;
  }
}
