/** Keras's module `keras.applications.resnet50`: ResNet50 and the ResNet ('caffe') preprocessing. */
export { ResNet50, preprocessInput, decodePredictions } from './resnet';
