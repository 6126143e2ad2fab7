/**
 * A summary writer for one log directory, as tf.summary's: scalars, histograms, text, images and
 * the model graph, each at a step, appended to an event file that TensorBoard reads.
 *
 *   const writer = k.summary.createFileWriter('runs/custom');
 *   writer.scalar('loss', 0.31, step);
 *   writer.histogram('dense/kernel', model.getLayer('dense').weights[0].value, step);
 *   writer.close();
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { EventFileWriter, EventFileWriterArgs } from './event_file_writer';
import { modelGraphDef } from './graph_def';
import { GraphModel, isGraphModel } from './graph_model';
import { encode, protos } from './protos';
import { encodePng, histogramValue, imageValue, scalarValue, SummaryValue, textValue } from './values';

export type SummaryWriterArgs = EventFileWriterArgs;
const WRITER_KEYS = optionKeys<SummaryWriterArgs>()('flushSecs', 'maxQueue', 'filenameSuffix');

export interface HistogramArgs {
  /** Number of equal-width buckets. Keras: none; tf.summary.histogram's `buckets` @default 30 */
  buckets?: number;
  /**
   * A longer description shown in TensorBoard (Markdown). Keras: none; tf.summary.histogram's `description`
   * @default undefined (none)
   */
  description?: string;
}
const HISTOGRAM_KEYS = optionKeys<HistogramArgs>()('buckets', 'description');

export interface ImageArgs {
  /** At most this many images of the batch are written. Keras: none; tf.summary.image's `max_outputs` @default 3 */
  maxOutputs?: number;
  /**
   * A longer description shown in TensorBoard (Markdown). Keras: none; tf.summary.image's `description`
   * @default undefined (none)
   */
  description?: string;
}
const IMAGE_KEYS = optionKeys<ImageArgs>()('maxOutputs', 'description');

/** Numbers a summary can take: a tensor (read here), a typed array or a plain list. */
export type SummaryData = tfc.Tensor | ArrayLike<number>;

export class SummaryWriter {
  private readonly file: EventFileWriter;

  constructor(
    readonly logDir: string,
    args: SummaryWriterArgs = {},
  ) {
    if (typeof logDir !== 'string' || logDir.length === 0) {
      throw new ValueError(`createFileWriter: \`logDir\` must be a directory path, got ${JSON.stringify(logDir)}. help: e.g. createFileWriter('runs/exp1').`);
    }
    checkOptions('createFileWriter', args, WRITER_KEYS);
    this.file = new EventFileWriter(logDir, args);
  }

  /** The event file this writer appends to. */
  get path(): string {
    return this.file.path;
  }

  /** A scalar for the Scalars tab (a number, or a tensor of one element). */
  scalar(name: string, value: number | tfc.Tensor, step: number, description?: string): void {
    const v = value instanceof tfc.Tensor ? readOne(value, name) : value;
    if (typeof v !== 'number') throw new ValueError(`summary.scalar '${name}': the value must be a number or a one-element tensor, got ${typeof v}. help: e.g. scalar('loss', 0.31, step).`);
    this.write(scalarValue(checkTag(name), v, description), step);
  }

  /** A histogram of every element of `data` (TensorBoard's Histograms and Distributions tabs). */
  histogram(name: string, data: SummaryData, step: number, args: HistogramArgs = {}): void {
    checkOptions(`summary.histogram '${name}'`, args, HISTOGRAM_KEYS);
    const buckets = args.buckets ?? 30;
    if (!Number.isInteger(buckets) || buckets < 0) throw new ValueError(`summary.histogram '${name}': \`buckets\` must be a non-negative integer, got ${buckets}. help: e.g. {buckets: 30}.`);
    const values = data instanceof tfc.Tensor ? data.dataSync() : data;
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
      throw new ValueError(`summary.histogram '${name}': the data must be a tensor or a list of numbers, got ${String(values)}.`);
    }
    this.write(histogramValue(checkTag(name), values as ArrayLike<number>, buckets, args.description), step);
  }

  /** Text for the Text tab (Markdown). */
  text(name: string, text: string, step: number, description?: string): void {
    if (typeof text !== 'string') throw new ValueError(`summary.text '${name}': the text must be a string, got ${typeof text}.`);
    this.write(textValue(checkTag(name), text, description), step);
  }

  /**
   * Images for the Images tab: a tensor of shape [k, height, width, channels] (channels 1, 3 or 4)
   * with values in [0, 1], as tf.summary.image takes them; the first `maxOutputs` are written as PNGs.
   */
  image(name: string, images: tfc.Tensor, step: number, args: ImageArgs = {}): void {
    checkOptions(`summary.image '${name}'`, args, IMAGE_KEYS);
    const [k, h, w, c] = images.shape;
    if (images.rank !== 4 || ![1, 3, 4].includes(c)) {
      throw new ValueError(`summary.image '${name}': images must have shape [k, height, width, 1|3|4], got [${images.shape}]. help: reshape, e.g. x.reshape([-1, 28, 28, 1]).`);
    }
    const n = Math.min(k, args.maxOutputs ?? 3);
    const data = images.dataSync();
    const size = h * w * c;
    const pngs = Array.from({ length: n }, (_, i) => encodePng(data.subarray(i * size, (i + 1) * size), h, w, c as 1 | 3 | 4));
    this.write(imageValue(checkTag(name), pngs, w, h, args.description), step);
  }

  /** The model's graph for the Graphs tab (one GraphDef per file, as TensorFlow writes it). */
  graph(model: GraphModel): void {
    if (!isGraphModel(model)) {
      throw new ValueError('summary.graph: expected a model whose graph is defined (a functional Model or a built Sequential). help: give the first layer an inputShape.');
    }
    this.file.add({ wall_time: Date.now() / 1000, step: 0, graph_def: encode(protos().GraphDef, modelGraphDef(model)) });
  }

  /** Writes every queued event to the file. */
  flush(): void {
    this.file.flush();
  }

  /** Flushes and closes the file. */
  close(): void {
    this.file.close();
    if (defaultWriter === this) defaultWriter = null;
  }

  /** Makes this the writer that k.summary.scalar/histogram/text/image write to. */
  setAsDefault(): this {
    defaultWriter = this;
    return this;
  }

  private write(value: SummaryValue, step: number): void {
    if (!Number.isSafeInteger(step)) throw new ValueError(`summary: \`step\` must be an integer, got ${step}. help: pass the epoch or batch number.`);
    this.file.add({ wall_time: Date.now() / 1000, step, summary: { value: [value] } });
  }
}

let defaultWriter: SummaryWriter | null = null;

/** The writer set with `setAsDefault()`. */
export function getDefaultWriter(): SummaryWriter {
  if (defaultWriter === null) {
    throw new ValueError('summary: no default writer. help: const w = k.summary.createFileWriter(logDir); w.setAsDefault(); or call w.scalar(...) on the writer.');
  }
  return defaultWriter;
}

function readOne(t: tfc.Tensor, name: string): number {
  if (t.size !== 1) throw new ValueError(`summary.scalar '${name}': expected one value, got a tensor of shape [${t.shape}]. help: reduce it first, e.g. x.mean().`);
  return t.dataSync()[0];
}

function checkTag(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new ValueError(`summary: the name must be a non-empty string, got ${JSON.stringify(name)}. help: e.g. 'loss'.`);
  return name;
}
