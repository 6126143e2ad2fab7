/**
 * `k.datasets`: Keras's datasets with Keras's loadData() contracts, through Keras's download cache
 * (k.utils.getFile). Each namespace mirrors a Keras module:
 *
 *   const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.mnist.loadData();
 *   xTrain.shape  // [60000, 28, 28], a Uint8Array: fit takes it as it is
 */
import * as mnistModule from './mnist';
import * as fashionModule from './fashion_mnist';
import * as cifar from './cifar';
import * as imdbModule from './imdb';
import * as reutersModule from './reuters';
import * as housing from './housing';

export const mnist = { loadData: mnistModule.loadData };
export const fashionMnist = { loadData: fashionModule.loadData };
export const cifar10 = { loadData: cifar.loadCifar10 };
export const cifar100 = { loadData: cifar.loadCifar100 };
export const imdb = { loadData: imdbModule.loadData, getWordIndex: imdbModule.getWordIndex };
export const reuters = { loadData: reutersModule.loadData, getWordIndex: reutersModule.getWordIndex, getLabelNames: reutersModule.getLabelNames };
export const bostonHousing = { loadData: housing.loadBostonHousing };
export const californiaHousing = { loadData: housing.loadCaliforniaHousing };

export type { ShapedArray, LoadDataResult } from './ndarray';
export type { DatasetSourceOptions } from './source';
export type { MnistLoadOptions } from './mnist';
export type { FashionMnistLoadOptions } from './fashion_mnist';
export type { Cifar10LoadOptions, Cifar100LoadOptions } from './cifar';
export type { ImdbLoadOptions, WordIndexOptions } from './imdb';
export type { ReutersLoadOptions } from './reuters';
export type { SequenceOptions } from './sequences';
export type { BostonHousingLoadOptions, CaliforniaHousingLoadOptions } from './housing';
