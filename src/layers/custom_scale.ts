/**
 * CustomScaleLayer: `inputs[0] + inputs[1] * scale`, the scaled residual sum of Keras's
 * InceptionResNetV2 (keras/src/applications/inception_resnet_v2.py defines it beside the model).
 * Two inputs of one shape, no weights; `scale` is in its config, so a saved model reloads it.
 *
 *   const x = new CustomScaleLayer({ scale: 0.17 }).apply([shortcut, residual]);
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { MultiInputLayer } from '../engine/multi_input_layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';

export interface CustomScaleLayerArgs extends LayerArgs {
  /** The factor of the second input. Keras: `scale` */
  scale: number;
}

export class CustomScaleLayer extends MultiInputLayer {
  static override readonly optionKeys = optionKeys<CustomScaleLayerArgs>()(...LAYER_KEYS, 'scale');
  static override readonly positional = ['scale'];
  readonly className = 'CustomScaleLayer';
  readonly scale: number;

  constructor(scale: number, options?: Omit<CustomScaleLayerArgs, 'scale'>);
  constructor(args: CustomScaleLayerArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<CustomScaleLayerArgs>(new.target, given);
    super(args);
    if (typeof args?.scale !== 'number' || !Number.isFinite(args.scale)) {
      throw new ValueError(`CustomScaleLayer '${this.name}': \`scale\` must be a finite number, got ${String(args?.scale)}. help: pass e.g. {scale: 0.17}.`);
    }
    this.scale = args.scale;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const all = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const [a, b] = all;
    const same = all.length === 2 && a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
    if (!same) {
      throw new ValueError(
        `${this.name} (CustomScaleLayer): needs two inputs of one shape, got ${all.map(formatShape).join(', ')}. ` +
          'help: apply it to [shortcut, residual], e.g. layer.apply([x, up]).',
      );
    }
    return a.map((d, i) => d ?? b[i]);
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    this.computeOutputShape(inputs.map((x) => x.shape));
    return tfc.add(inputs[0], tfc.mul(inputs[1], this.scale));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), scale: this.scale };
  }
}
