export { Dense } from './dense';
export type { DenseArgs } from './dense';
export { Activation } from './activation';
export type { ActivationArgs } from './activation';
export { LeakyReLU, ReLU, ELU, Softmax } from './activation_layers';
export type { LeakyReLUArgs, ReLUArgs, ELUArgs, SoftmaxArgs } from './activation_layers';
export { Dropout } from './dropout';
export type { DropoutArgs } from './dropout';
export { Flatten } from './flatten';
export { Conv1D, Conv2D, BaseConv } from './conv';
export type { ConvArgs } from './conv';
export { Conv2DTranspose } from './conv_transpose';
export { DepthwiseConv2D, SeparableConv2D } from './depthwise_conv';
export type { DepthwiseConv2DArgs, SeparableConv2DArgs } from './depthwise_conv';
export {
  MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D,
  GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D,
} from './pooling';
export type { PoolingArgs, GlobalPoolingArgs } from './pooling';
export { BatchNormalization, LayerNormalization } from './normalization';
export type { BatchNormalizationArgs, NormalizationArgs } from './normalization';
export { Embedding } from './embedding';
export type { EmbeddingArgs } from './embedding';
export { Reshape, Permute, RepeatVector } from './reshaping';
export type { ReshapeArgs, PermuteArgs, RepeatVectorArgs } from './reshaping';
export { ZeroPadding2D, Cropping2D, UpSampling2D } from './spatial';
export type { ZeroPadding2DArgs, Cropping2DArgs, UpSampling2DArgs } from './spatial';
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot } from './merge';
export type { ConcatenateArgs, DotArgs } from './merge';
export { SpatialDropout2D, GaussianNoise, GaussianDropout } from './noise';
export type { SpatialDropout2DArgs, GaussianNoiseArgs, GaussianDropoutArgs } from './noise';
export { InputLayer } from '../engine/input_layer';
export { Layer } from '../engine/layer';
export type { LayerArgs, CallContext, AddWeightArgs, LayerConfig } from '../engine/layer';
