/**
 * Keras's `keras.applications.convnext`: `ConvNeXtTiny`, `Small`, `Base`, `Large`, `XLarge` (7x7
 * depthwise convolutions, LayerNormalization, inverted MLPs, LayerScale), with Keras's layer names
 * ('convnext_tiny_stem', 'convnext_tiny_stage_2_block_8_layer_scale', 'convnext_tiny_head_dense',
 * ...); the stem and downsampling blocks are nested Sequential models, as Keras's. With
 * `includePreprocessing` the model normalises pixels in 0..255 itself, so the module's
 * `preprocessInput` is the identity, as Keras's.
 */
import { Input } from '../engine/input_layer';
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { Activation } from '../layers/activation';
import { Conv2D } from '../layers/conv';
import { Dense } from '../layers/dense';
import { LayerScale } from '../layers/layer_scale';
import { Add } from '../layers/merge';
import { LayerNormalization } from '../layers/normalization';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling';
import { Normalization } from '../layers/preprocessing/normalization';
import { StochasticDepth } from '../layers/stochastic_depth';
import type { ActivationName } from '../activations/activations';
import * as imagenetUtils from './imagenet_utils';
import { applicationInput, obtainInputShape, sym, validateOptions } from './common';
import type { ApplicationOptions } from './common';
import { loadApplicationWeights } from './weights';

/** The options of the ConvNeXt models: the common ones and the built-in preprocessing. */
export interface ConvNeXtOptions extends ApplicationOptions {
  /**
   * Whether the model starts with a Normalization by ImageNet's mean and std, taking pixels in 0..255.
   * Keras: `include_preprocessing` @default true
   */
  includePreprocessing?: boolean;
}

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/convnext/';

/** [depths, projection dims, weight file sha256 (top, no top)] per size, from Keras's source. */
const CONFIGS: Record<string, [number[], number[], string, string]> = {
  tiny: [[3, 3, 9, 3], [96, 192, 384, 768], '8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff', 'd547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1'],
  small: [[3, 3, 27, 3], [96, 192, 384, 768], 'ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c', '6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab'],
  base: [[3, 3, 27, 3], [128, 256, 512, 1024], '52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6', '40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45'],
  large: [[3, 3, 27, 3], [192, 384, 768, 1536], '070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6', '96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd'],
  xlarge: [[3, 3, 27, 3], [256, 512, 1024, 2048], 'c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee', 'de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05'],
};

async function convNeXt(size: string, what: string, options: ConvNeXtOptions): Promise<Model> {
  const [depths, dims, topHash, notopHash] = CONFIGS[size];
  const defaultName = `convnext_${size}`;
  validateOptions(options, what, ['includePreprocessing']);
  const { includeTop = true, classes = 1000, pooling = null, name = defaultName, includePreprocessing = true } = options;
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  const shape = obtainInputShape(options.inputShape, { defaultSize: 224, minSize: 32, requireFlatten: includeTop, weights, name: what });
  const { imgInput, modelInputs } = applicationInput(options, shape);
  let x = imgInput;
  if (includePreprocessing && shape[2] === 3) {
    const mean = [0.485 * 255, 0.456 * 255, 0.406 * 255];
    const variance = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2];
    x = sym(new Normalization({ mean, variance, name: `${name}_prestem_normalization` }), x);
  }
  // Each nested Sequential starts from an Input of the shape it is applied to (Keras builds it on that first call).
  const stem = new Sequential({
    layers: [
      Input({ shape: x.shape.slice(1) }),
      new Conv2D({ filters: dims[0], kernelSize: 4, strides: 4, name: `${name}_stem_conv` }),
      new LayerNormalization({ epsilon: 1e-6, name: `${name}_stem_layernorm` }),
    ],
    name: `${name}_stem`,
  });
  const downsampling = [0, 1, 2].map(
    (i) => (input: SymbolicTensor) =>
      new Sequential({
        layers: [
          Input({ shape: input.shape.slice(1) }),
          new LayerNormalization({ epsilon: 1e-6, name: `${name}_downsampling_layernorm_${i}` }),
          new Conv2D({ filters: dims[i + 1], kernelSize: 2, strides: 2, name: `${name}_downsampling_conv_${i}` }),
        ],
        name: `${name}_downsampling_block_${i}`,
      }),
  );
  for (let i = 0; i < 4; i++) {
    x = sym(i === 0 ? stem : downsampling[i - 1](x), x);
    for (let j = 0; j < depths[i]; j++) x = convNeXtBlock(x, dims[i], `${name}_stage_${i}_block_${j}`);
  }
  if (includeTop) {
    x = sym(new GlobalAveragePooling2D({ name: `${name}_head_gap` }), x);
    x = sym(new LayerNormalization({ epsilon: 1e-6, name: `${name}_head_layernorm` }), x);
    const activation = (options.classifierActivation === undefined ? 'softmax' : options.classifierActivation ?? 'linear') as ActivationName;
    x = sym(new Dense({ units: classes, activation, name: `${name}_head_dense` }), x);
  } else {
    if (pooling === 'avg') x = sym(new GlobalAveragePooling2D(), x);
    else if (pooling === 'max') x = sym(new GlobalMaxPooling2D(), x);
    x = sym(new LayerNormalization({ epsilon: 1e-6 }), x);
  }
  const model = new Model({ inputs: modelInputs, outputs: x, name });
  await loadApplicationWeights(model, weights, includeTop, { origin: ORIGIN, top: [`${defaultName}.h5`, topHash], notop: [`${defaultName}_notop.h5`, notopHash] });
  return model;
}

/**
 * Keras's `ConvNeXtBlock` (drop path rate 0, as every Keras ConvNeXt builds it, so its branch ends
 * in an identity Activation rather than StochasticDepth): 7x7 depthwise, LayerNorm, 4x MLP with
 * GELU, LayerScale, residual add.
 */
function convNeXtBlock(inputs: SymbolicTensor, dim: number, name: string, dropPathRate = 0): SymbolicTensor {
  let x = sym(new Conv2D({ filters: dim, kernelSize: 7, padding: 'same', groups: dim, name: `${name}_depthwise_conv` }), inputs);
  x = sym(new LayerNormalization({ epsilon: 1e-6, name: `${name}_layernorm` }), x);
  x = sym(new Dense({ units: 4 * dim, name: `${name}_pointwise_conv_1` }), x);
  x = sym(new Activation({ activation: 'gelu', name: `${name}_gelu` }), x);
  x = sym(new Dense({ units: dim, name: `${name}_pointwise_conv_2` }), x);
  x = sym(new LayerScale({ initValues: 1e-6, projectionDim: dim, name: `${name}_layer_scale` }), x);
  x = dropPathRate
    ? sym(new StochasticDepth({ dropPathRate, name: `${name}_stochastic_depth` }), x)
    : sym(new Activation({ activation: 'linear', name: `${name}_identity` }), x);
  return sym(new Add(), [inputs, x]);
}

/** Instantiates ConvNeXtTiny (Keras's `keras.applications.ConvNeXtTiny`). */
export const ConvNeXtTiny = (options: ConvNeXtOptions = {}): Promise<Model> => convNeXt('tiny', 'ConvNeXtTiny', options);
/** Instantiates ConvNeXtSmall (Keras's `keras.applications.ConvNeXtSmall`). */
export const ConvNeXtSmall = (options: ConvNeXtOptions = {}): Promise<Model> => convNeXt('small', 'ConvNeXtSmall', options);
/** Instantiates ConvNeXtBase (Keras's `keras.applications.ConvNeXtBase`). */
export const ConvNeXtBase = (options: ConvNeXtOptions = {}): Promise<Model> => convNeXt('base', 'ConvNeXtBase', options);
/** Instantiates ConvNeXtLarge (Keras's `keras.applications.ConvNeXtLarge`). */
export const ConvNeXtLarge = (options: ConvNeXtOptions = {}): Promise<Model> => convNeXt('large', 'ConvNeXtLarge', options);
/** Instantiates ConvNeXtXLarge (Keras's `keras.applications.ConvNeXtXLarge`). */
export const ConvNeXtXLarge = (options: ConvNeXtOptions = {}): Promise<Model> => convNeXt('xlarge', 'ConvNeXtXLarge', options);

/** The identity: ConvNeXt normalises its input itself (Keras's `convnext.preprocess_input`). */
export function preprocessInput<T>(x: T): T {
  return x;
}

/** The top ImageNet classes of each prediction row (Keras's `decode_predictions`). */
export const decodePredictions = imagenetUtils.decodePredictions;
