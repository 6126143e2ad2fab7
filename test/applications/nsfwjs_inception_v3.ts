/**
 * A test helper: the Keras InceptionV3 (Keras 2.2.4's keras_applications graph, tfjs layers format,
 * uint8-quantized weights, fine-tuned by the nsfwjs authors) that the npm package nsfwjs ships
 * inside JS modules (dist/models/inception_v3: model.min.js exports the model.json object,
 * group1-shard*of6.min.js the weight shards as base64). `loadNsfwjsInceptionV3Base` unpacks it into
 * tfjs ModelArtifacts cut at `mixed10` (the end of the InceptionV3 base, before nsfwjs's own head),
 * with the input size changed to `size` (the base is fully convolutional), and loads it with
 * k.models.loadModel.
 */
import * as path from 'path';
import * as k from '../../src';

const DIR = path.join(__dirname, '../../node_modules/nsfwjs/dist/models/inception_v3');

interface LayerSpec {
  class_name: string;
  config: { name: string; batch_input_shape?: Array<number | null> };
}
interface Manifest {
  modelTopology: { model_config: { config: { layers: LayerSpec[]; output_layers: unknown[] } } };
  weightsManifest: Array<{ paths: string[]; weights: WeightSpec[] }>;
}
interface WeightSpec {
  name: string;
  shape: number[];
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16' };
}

/** A weight's bytes in the shards: 1 per value when uint8-quantized, 2 for uint16 / float16, else 4. */
function byteSize(w: WeightSpec): number {
  const per = w.quantization === undefined ? 4 : w.quantization.dtype === 'uint8' ? 1 : 2;
  return w.shape.reduce((a, b) => a * b, 1) * per;
}

/** The nsfwjs InceptionV3 base (input to `mixed10`) at `size` x `size`, loaded by keras-ts's tfjs-format loader. */
export async function loadNsfwjsInceptionV3Base(size: number): Promise<k.Model> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const json = JSON.parse(JSON.stringify(require(path.join(DIR, 'model.min.js')))) as Manifest;
  const config = json.modelTopology.model_config.config;
  const end = config.layers.findIndex((l) => l.config.name === 'mixed10');
  config.layers = config.layers.slice(0, end + 1);
  config.layers[0].config.batch_input_shape = [null, size, size, 3];
  config.output_layers = [['mixed10', 0, 0]];
  const kept = new Set(config.layers.map((l) => l.config.name));
  const shards = json.weightsManifest.flatMap((group) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    group.paths.map((p) => Buffer.from(require(path.join(DIR, `${p}.min.js`)) as string, 'base64')),
  );
  const bytes = Buffer.concat(shards);
  // The head's weights come last in the shards: the base's specs are a prefix of the manifest.
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const base = specs.filter((w) => kept.has(w.name.split('/')[0]));
  if (specs.slice(0, base.length).some((w, i) => w !== base[i])) throw new Error('nsfwjs InceptionV3: the base weights are not a prefix of the manifest');
  const length = base.reduce((a, w) => a + byteSize(w), 0);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + length);
  return k.models.loadModel({ modelTopology: json.modelTopology, weightSpecs: base as never, weightData }, { compile: false });
}
