/**
 * A test helper: the Keras MobileNetV2 (Keras 2.2.4, tfjs layers format, uint8-quantized weights,
 * trained by the nsfwjs authors) that the npm package nsfwjs ships inside two JS modules
 * (dist/models/mobilenet_v2: model.min.js exports the model.json object, group1-shard1of1.min.js
 * the weight shard as base64), unpacked into tfjs ModelArtifacts and loaded with k.models.loadModel.
 */
import * as path from 'path';
import * as k from '../../src';

const DIR = path.join(__dirname, '../../node_modules/nsfwjs/dist/models/mobilenet_v2');

/** The nsfwjs MobileNetV2 as tfjs ModelArtifacts (model.json's topology, weight specs and bytes). */
export function nsfwjsArtifacts(): k.models.ModelArtifacts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const json = require(path.join(DIR, 'model.min.js')) as { modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: never[] }> };
  const shards = json.weightsManifest.flatMap((group) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    group.paths.map((p) => Buffer.from(require(path.join(DIR, `${p}.min.js`)) as string, 'base64')),
  );
  const bytes = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

/** The nsfwjs network, loaded by keras-ts's tfjs-format loader. */
export async function loadNsfwjsMobileNetV2(): Promise<k.Model> {
  return k.models.loadModel(nsfwjsArtifacts(), { compile: false });
}
