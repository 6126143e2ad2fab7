/**
 * k.applications: Keras's pre-built image models, one file per family, each exporting its
 * application functions and its Keras module's `preprocessInput` / `decodePredictions`; the module
 * namespaces are the camelCase of Keras's module names (`k.applications.mobilenetV2`).
 */
export * as imagenetUtils from './imagenet_utils';
export type { ApplicationOptions } from './common';
export type { WeightFiles } from './weights';
export type { PreprocessMode, PreprocessOptions, DecodedPrediction, ImageBatch } from './imagenet_utils';
export { ResNet50, ResNet101, ResNet152 } from './resnet';
export { ResNet50V2, ResNet101V2, ResNet152V2 } from './resnet_v2';
export { VGG16 } from './vgg16';
export { VGG19 } from './vgg19';
export { InceptionV3 } from './inception_v3';
export { InceptionResNetV2 } from './inception_resnet_v2';
export { Xception } from './xception';
export { DenseNet121, DenseNet169, DenseNet201 } from './densenet';
export { NASNetMobile, NASNetLarge } from './nasnet';
export * as resnet from './resnet';
export * as resnet50 from './resnet50';
export * as resnetV2 from './resnet_v2';
export * as vgg16 from './vgg16';
export * as vgg19 from './vgg19';
export * as inceptionV3 from './inception_v3';
export * as inceptionResnetV2 from './inception_resnet_v2';
export * as xception from './xception';
export * as densenet from './densenet';
export * as nasnet from './nasnet';
export type { FamilyPreprocessOptions, Preprocessed } from './preprocess_mode';

export { MobileNetV2 } from './mobilenet_v2';
export type { MobileNetV2Options } from './mobilenet_v2';
export * as mobilenetV2 from './mobilenet_v2';

export { MobileNet } from './mobilenet';
export type { MobileNetOptions } from './mobilenet';
export * as mobilenet from './mobilenet';

export { MobileNetV3Small, MobileNetV3Large } from './mobilenet_v3';
export type { MobileNetV3Options } from './mobilenet_v3';
export * as mobilenetV3 from './mobilenet_v3';

export { EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3, EfficientNetB4, EfficientNetB5, EfficientNetB6, EfficientNetB7 } from './efficientnet';
export type { EfficientNetOptions } from './efficientnet';
export * as efficientnet from './efficientnet';

export { EfficientNetV2B0, EfficientNetV2B1, EfficientNetV2B2, EfficientNetV2B3, EfficientNetV2S, EfficientNetV2M, EfficientNetV2L } from './efficientnet_v2';
export type { EfficientNetV2Options } from './efficientnet_v2';
export * as efficientnetV2 from './efficientnet_v2';

export { ConvNeXtTiny, ConvNeXtSmall, ConvNeXtBase, ConvNeXtLarge, ConvNeXtXLarge } from './convnext';
export type { ConvNeXtOptions } from './convnext';
export * as convnext from './convnext';
