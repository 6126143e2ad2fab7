/**
 * Reading Keras's own .h5 files in tests, with h5wasm (the HDF5 C library compiled to WebAssembly,
 * the library keras-ts's saving uses), and building the model of a Keras 2 `model_config` by hand
 * from the layer options these fixtures use, so the recurrent layers can be checked against what
 * Keras computed before saving lands.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';

interface H5Dataset {
  shape: number[];
  value: Float32Array | number[] | string;
}
interface H5Node {
  attrs: Record<string, { value: unknown }>;
}
interface H5File extends H5Node {
  get(name: string): (H5Dataset & H5Node) | null;
  close(): void;
}
interface H5Module {
  ready: Promise<{ FS: { writeFile(name: string, data: Uint8Array): void; unlink(name: string): void } }>;
  File: new (name: string, mode: string) => H5File;
}

let h5: H5Module | null = null;

/** h5wasm is ES modules only; its self-contained script build (dist/iife) loads anywhere. */
function h5wasm(): H5Module {
  if (h5 === null) {
    const file = (require.resolve.paths('h5wasm') ?? []).map((p) => path.join(p, 'h5wasm', 'dist', 'iife', 'h5wasm.js')).find((p) => fs.existsSync(p));
    if (file === undefined) throw new Error('h5wasm is not installed: run npm install');
    h5 = new Function(`${fs.readFileSync(file, 'utf8')}\nreturn h5wasm;`)() as H5Module;
  }
  return h5;
}

let counter = 0;

/** Opens an HDF5 file (copied into h5wasm's in-memory file system); call close() when done. */
export async function openH5(file: string): Promise<H5File> {
  const module = h5wasm();
  const { FS } = await module.ready;
  const name = `/fixture_${counter++}.h5`;
  FS.writeFile(name, new Uint8Array(fs.readFileSync(file)));
  const f = new module.File(name, 'r');
  const close = f.close.bind(f);
  f.close = () => {
    close();
    FS.unlink(name);
  };
  return f;
}

export function tensorOf(f: H5File, name: string): tfc.Tensor {
  const d = f.get(name);
  if (d === null) throw new Error(`no dataset ${name}`);
  return tfc.tensor(Array.from(d.value as Float32Array), d.shape);
}

/** Keras 2's hard_sigmoid: clip(0.2 x + 0.5, 0, 1) (Keras 3's is relu6(x + 3) / 6). */
function keras2HardSigmoid(x: tfc.Tensor): tfc.Tensor {
  return tfc.clipByValue(tfc.add(tfc.mul(x, 0.2), 0.5), 0, 1);
}

type Cfg = Record<string, unknown>;

function activation(name: unknown, keras2: boolean): k.layers.LSTMArgs['activation'] {
  return (name === 'hard_sigmoid' && keras2 ? keras2HardSigmoid : name) as k.layers.LSTMArgs['activation'];
}

/** The layer of one Keras 2 layer config, for the layer kinds these fixtures hold. */
function layerOf(className: string, c: Cfg, keras2: boolean): k.Layer {
  const common = { name: c.name as string, ...(c.batch_input_shape ? { batchInputShape: c.batch_input_shape as k.Shape } : {}) };
  const recurrent = {
    ...common, units: c.units as number, activation: activation(c.activation, keras2), useBias: c.use_bias as boolean,
    returnSequences: c.return_sequences as boolean, returnState: c.return_state as boolean, goBackwards: c.go_backwards as boolean,
  };
  switch (className) {
    case 'SimpleRNN':
      return new k.layers.SimpleRNN(recurrent);
    case 'LSTM':
      return new k.layers.LSTM({ ...recurrent, recurrentActivation: activation(c.recurrent_activation, keras2), unitForgetBias: c.unit_forget_bias as boolean });
    case 'Dense':
      return new k.layers.Dense({ ...common, units: c.units as number, activation: c.activation as k.layers.DenseArgs['activation'], useBias: c.use_bias as boolean });
    case 'Conv1D':
      return new k.layers.Conv1D({
        ...common, filters: c.filters as number, kernelSize: c.kernel_size as number[], strides: c.strides as number[], padding: c.padding as 'causal',
        dilationRate: c.dilation_rate as number[], activation: c.activation as 'tanh', useBias: c.use_bias as boolean,
      });
    default:
      throw new Error(`no hand-built layer for ${className}`);
  }
}

/** The Sequential model of a Keras 2 .h5 file, with the file's weights. */
export async function kerasModel(file: string): Promise<k.Sequential> {
  const f = await openH5(file);
  try {
    const version = String(f.attrs.keras_version.value);
    const config = JSON.parse(String(f.attrs.model_config.value)) as { class_name: string; config: Cfg[] | { layers: Cfg[] } };
    const layers = (Array.isArray(config.config) ? config.config : config.config.layers) as Array<{ class_name: string; config: Cfg }>;
    const model = new k.Sequential(layers.map((l) => layerOf(l.class_name, l.config, version.startsWith('2.'))));
    const group = f.get('model_weights') as unknown as H5Node;
    for (const name of group.attrs.layer_names.value as string[]) {
      const weightNames = (f.get(`model_weights/${name}`) as unknown as H5Node).attrs.weight_names.value as string[];
      const values = weightNames.map((w) => tensorOf(f, `model_weights/${name}/${w}`));
      model.getLayer(name).setWeights(values);
      tfc.dispose(values);
    }
    return model;
  } finally {
    f.close();
  }
}
