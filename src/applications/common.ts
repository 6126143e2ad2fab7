/**
 * What every Keras application shares: its options (`ApplicationOptions`, Keras's keyword
 * arguments in camelCase), Keras's checks of them (`validateOptions`), the input shape rule of
 * `imagenet_utils.obtain_input_shape` (channels_last), the input tensor (`applicationInput`: a new
 * `Input` or the caller's `inputTensor`) and the classifier head (`classifierHead`). Each family's
 * file builds its graph between `applicationInput` and `classifierHead` with Keras's layer names.
 */
import { ValueError } from '../engine/errors';
import { Input, InputLayer } from '../engine/input_layer';
import { SymbolicTensor } from '../engine/symbolic_tensor';
import type { Layer } from '../engine/layer';
import { optionKeys, checkOptions } from '../engine/options';
import { Dense } from '../layers/dense';
import { Flatten } from '../layers/flatten';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling';
import { canonicalActivation } from '../activations/activations';
import type { ActivationName } from '../activations/activations';

/** The options every application takes (Keras's keyword arguments, camelCase). */
export interface ApplicationOptions {
  /**
   * Whether to end with the classifier (global pooling + Dense(classes)).
   * Keras: `include_top` @default true
   */
  includeTop?: boolean;
  /**
   * `'imagenet'` (Keras's pre-trained file, from Keras's cache folder), `null` (random
   * initialisation), or the path of a Keras weights file (.h5 / .weights.h5).
   * Keras: `weights` @default 'imagenet'
   */
  weights?: 'imagenet' | string | null;
  /**
   * A symbolic tensor (from `k.Input` or a layer) to use as the image input instead of a new Input.
   * Keras: `input_tensor` @default undefined
   */
  inputTensor?: SymbolicTensor;
  /**
   * One image's shape `[height, width, channels]`; only free when `includeTop` is false.
   * Keras: `input_shape` @default the family's default size, e.g. [224, 224, 3]
   */
  inputShape?: number[];
  /**
   * Without the top: `'avg'` or `'max'` global pooling of the last feature map, or `null` for the 4D map.
   * Keras: `pooling` @default null
   */
  pooling?: 'avg' | 'max' | null;
  /**
   * The number of classes of the classifier (only with `includeTop` and not `'imagenet'` weights).
   * Keras: `classes` @default 1000
   */
  classes?: number;
  /**
   * The activation of the classifier (`null` gives logits); pre-trained weights allow only softmax or null.
   * Keras: `classifier_activation` @default 'softmax'
   */
  classifierActivation?: string | null;
  /**
   * The model's name. Keras: `name` @default the family's name, e.g. 'mobilenetv2_1.00_224'
   */
  name?: string;
}

/** The keys of `ApplicationOptions`, for the option checks of every family. */
export const APPLICATION_KEYS = optionKeys<ApplicationOptions>()(
  'includeTop', 'weights', 'inputTensor', 'inputShape', 'pooling', 'classes', 'classifierActivation', 'name',
);

/** What `obtainInputShape` needs to know about the family (Keras's arguments). */
export interface InputShapeRule {
  defaultSize: number;
  minSize: number;
  requireFlatten: boolean;
  weights: string | null;
  /** The application's name, for messages. */
  name: string;
}

/**
 * Keras's `imagenet_utils.obtain_input_shape` for channels_last: the default `[size, size, 3]`
 * when none is given, the given one checked (3 dimensions, 3 channels with 'imagenet' weights, at
 * least `minSize` pixels each side), and a static shape required with the top.
 */
export function obtainInputShape(inputShape: number[] | undefined, o: InputShapeRule): number[] {
  const given = inputShape as Array<number | null> | undefined;
  const defaultShape =
    o.weights !== 'imagenet' && given !== undefined && given.length === 3
      ? [o.defaultSize, o.defaultSize, given[2] as number]
      : [o.defaultSize, o.defaultSize, 3];
  if (o.weights === 'imagenet' && o.requireFlatten) {
    if (given !== undefined && (given.length !== 3 || given.some((d, i) => d !== defaultShape[i]))) {
      throw new ValueError(
        `${o.name}: with includeTop and 'imagenet' weights, inputShape must be [${defaultShape}], got ${JSON.stringify(given)}. ` +
          `help: drop inputShape, or pass includeTop: false to use another size.`,
      );
    }
    return defaultShape;
  }
  let shape: Array<number | null>;
  if (given !== undefined && given.length > 0) {
    if (given.length !== 3) {
      throw new ValueError(`${o.name}: inputShape must be three numbers [height, width, channels], got ${JSON.stringify(given)}. help: e.g. [${defaultShape}].`);
    }
    if (given[2] !== 3 && o.weights === 'imagenet') {
      throw new ValueError(`${o.name}: 'imagenet' weights need 3 input channels, got inputShape ${JSON.stringify(given)}. help: use [h, w, 3], or weights: null.`);
    }
    if ((given[0] !== null && given[0] < o.minSize) || (given[1] !== null && given[1] < o.minSize)) {
      throw new ValueError(
        `${o.name}: the input must be at least ${o.minSize}x${o.minSize}, got inputShape ${JSON.stringify(given)}. help: resize the images to at least ${o.minSize} pixels a side.`,
      );
    }
    shape = [...given];
  } else {
    shape = o.requireFlatten ? defaultShape : [null, null, 3];
  }
  if (o.requireFlatten && shape.includes(null)) {
    throw new ValueError(`${o.name}: with includeTop the input shape must be static, got ${JSON.stringify(shape)}. help: give every dimension, e.g. [${defaultShape}].`);
  }
  return shape as number[];
}

/**
 * Keras's common checks: known option names, `weights` one of 'imagenet', null or a path, 1000
 * classes with the imagenet top, `pooling` and `classifierActivation` valid.
 */
export function validateOptions(opts: ApplicationOptions, name: string, extraKeys: readonly string[] = []): void {
  checkOptions(name, opts, [...APPLICATION_KEYS, ...extraKeys]);
  const { weights, includeTop = true, classes = 1000, pooling, classifierActivation = 'softmax' } = opts;
  if (weights !== undefined && weights !== null && (typeof weights !== 'string' || weights === '')) {
    throw new ValueError(`${name}: weights must be 'imagenet', null (random initialisation) or the path of a weights file, got ${JSON.stringify(weights)}. help: e.g. {weights: null}.`);
  }
  if (!Number.isInteger(classes) || classes < 1) {
    throw new ValueError(`${name}: classes must be a positive integer, got ${JSON.stringify(classes)}. help: e.g. {classes: 10}.`);
  }
  if ((weights ?? 'imagenet') === 'imagenet' && weights !== null && includeTop && classes !== 1000) {
    throw new ValueError(`${name}: with weights 'imagenet' and includeTop, classes must be 1000, got ${classes}. help: pass includeTop: false and add your own head, or weights: null.`);
  }
  if (pooling !== undefined && pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new ValueError(`${name}: pooling must be 'avg', 'max' or null, got ${JSON.stringify(pooling)}. help: e.g. {pooling: 'avg'}.`);
  }
  if (opts.inputTensor !== undefined && !(opts.inputTensor instanceof SymbolicTensor)) {
    throw new ValueError(`${name}: inputTensor must be a symbolic tensor (from k.Input or a layer), got ${describe(opts.inputTensor)}. help: pass k.Input({shape: [224, 224, 3]}).`);
  }
  if (classifierActivation !== null) canonicalActivation(classifierActivation, `${name} classifierActivation`);
  if (weights !== null && includeTop && classifierActivation !== null && canonicalActivation(classifierActivation, name) !== 'softmax') {
    throw new ValueError(
      `${name}: with pre-trained weights and includeTop, classifierActivation must be 'softmax' or null, got '${classifierActivation}'. help: pass weights: null to train another activation.`,
    );
  }
}

/**
 * The image input of the graph: a new `Input(shape)`, or the caller's `inputTensor`; `modelInputs`
 * is what the Model starts from (the Input layers the given tensor comes from, Keras's
 * `get_source_inputs`).
 */
export function applicationInput(opts: ApplicationOptions, shape: number[]): { imgInput: SymbolicTensor; modelInputs: SymbolicTensor } {
  if (opts.inputTensor === undefined) {
    const imgInput = Input({ shape });
    return { imgInput, modelInputs: imgInput };
  }
  const sources = sourceInputs(opts.inputTensor);
  if (sources.length !== 1) {
    throw new ValueError(
      `inputTensor '${opts.inputTensor.name}' is computed from ${sources.length} Input tensors; an application takes one image input. ` +
        'help: pass a tensor computed from one k.Input.',
    );
  }
  return { imgInput: opts.inputTensor, modelInputs: sources[0] };
}

/** The Input tensors a symbolic tensor is computed from (Keras's `operation_utils.get_source_inputs`). */
export function sourceInputs(t: SymbolicTensor): SymbolicTensor[] {
  const found: SymbolicTensor[] = [];
  const seen = new Set<number>();
  const stack = [t];
  while (stack.length > 0) {
    const x = stack.pop() as SymbolicTensor;
    if (seen.has(x.id)) continue;
    seen.add(x.id);
    if (x.node.layer instanceof InputLayer) found.push(x);
    else stack.push(...x.node.inputs);
  }
  return found.reverse();
}

/** Layer names of the head where a family names them (Keras leaves some to the default names). */
export interface HeadNames {
  /** Flatten instead of global average pooling before the classifier (VGG). */
  flatten?: boolean;
  /** The pooling (or flatten) layer's name with the top, e.g. 'avg_pool'. */
  topPool?: string;
  /** The pooling layer's name without the top. */
  pool?: string;
  /** The classifier's name. @default 'predictions' */
  predictions?: string;
}

/**
 * Keras's head: with `includeTop`, pooling (or Flatten) then `Dense(classes, classifierActivation)`
 * named 'predictions'; without it, `pooling` 'avg' or 'max' as global pooling, or nothing.
 */
export function classifierHead(x: SymbolicTensor, opts: ApplicationOptions, o: HeadNames = {}): SymbolicTensor {
  const { includeTop = true, classes = 1000, pooling = null } = opts;
  const activation = (opts.classifierActivation === undefined ? 'softmax' : opts.classifierActivation ?? 'linear') as ActivationName;
  if (includeTop) {
    const pooled = o.flatten
      ? (new Flatten({ name: o.topPool }).apply(x) as SymbolicTensor)
      : (new GlobalAveragePooling2D({ name: o.topPool }).apply(x) as SymbolicTensor);
    return new Dense({ units: classes, activation, name: o.predictions ?? 'predictions' }).apply(pooled) as SymbolicTensor;
  }
  if (pooling === 'avg') return new GlobalAveragePooling2D({ name: o.pool }).apply(x) as SymbolicTensor;
  if (pooling === 'max') return new GlobalMaxPooling2D({ name: o.pool }).apply(x) as SymbolicTensor;
  return x;
}

/**
 * Keras's `imagenet_utils.correct_pad`: the ZeroPadding2D padding `[[top, bottom], [left, right]]`
 * before a strided 'valid' convolution of `kernelSize`, so it samples as TensorFlow's 'same' would.
 */
export function correctPad(x: SymbolicTensor, kernelSize: number): [[number, number], [number, number]] {
  const [h, w] = [x.shape[1], x.shape[2]];
  const adjust = h === null || w === null ? [1, 1] : [1 - (h % 2), 1 - (w % 2)];
  const c = Math.floor(kernelSize / 2);
  return [
    [c - adjust[0], c],
    [c - adjust[1], c],
  ];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return JSON.stringify(v);
}

/** Applies a layer to symbolic tensors and returns its one output (the graph-building call of every family). */
export function sym(layer: Layer, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

/** Keras's `_make_divisible` (MobileNet V2/V3, EfficientNet): `v` rounded to a multiple of `divisor`, at most 10% down. */
export function makeDivisible(v: number, divisor: number, minValue: number = divisor): number {
  let next = Math.max(minValue, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (next < 0.9 * v) next += divisor;
  return next;
}

/** A number as Python's `str(float(x))` writes it ('1.0', '0.35'), for Keras's file names. */
export function pyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** The image rows and columns an application sees: from `inputShape`, else from `inputTensor`'s shape. */
export function givenRowsCols(opts: ApplicationOptions): [number | null, number | null] | undefined {
  if (opts.inputShape !== undefined) return [opts.inputShape[0] ?? null, opts.inputShape[1] ?? null];
  if (opts.inputTensor !== undefined) return [opts.inputTensor.shape[1] ?? null, opts.inputTensor.shape[2] ?? null];
  return undefined;
}

/** Python's str() of a dimension, for Keras's model names ('224', 'None'). */
export function pyDim(d: number | null): string {
  return d === null ? 'None' : String(d);
}
