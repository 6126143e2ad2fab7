/**
 * The CUDA stand-in as an addon file: with KERAS_CUDA_ADDON pointing here, keras-ts's own loader
 * (src/backend/cuda/addon.ts) require()s it as it would native/cuda/build/keras_cuda.node (Jest
 * compiles it), and a test that imports it gets the same instance. It simulates a machine with two
 * GPUs; its devices() and init() apply CUDA_VISIBLE_DEVICES as the CUDA runtime does.
 */
import { fakeAddon } from './fake_addon';

export = fakeAddon({ gpus: ['Fake GPU A', 'Fake GPU B'] });
