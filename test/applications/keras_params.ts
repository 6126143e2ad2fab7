/**
 * Keras's exact parameter counts [application, options, total, trainable], printed by
 * `python3 test/reference/application_params.py` (Keras's builders, layer by layer, in Python).
 */
import type * as k from '../../src';

export const KERAS_PARAMS: Array<[string, Record<string, unknown>, number, number]> = [
  ['MobileNet', {}, 4253864, 4231976],
  ['MobileNet', {includeTop: false}, 3228864, 3206976],
  ['MobileNet', {alpha: 0.25, depthMultiplier: 2}, 687888, 679936],
  ['MobileNetV2', {}, 3538984, 3504872],
  ['MobileNetV2', {includeTop: false}, 2257984, 2223872],
  ['MobileNetV2', {alpha: 0.35, includeTop: false}, 410208, 396128],
  ['MobileNetV2', {alpha: 1.4}, 6156712, 6108776],
  ['MobileNetV3Small', {}, 2554968, 2542856],
  ['MobileNetV3Small', {includeTop: false}, 939120, 927008],
  ['MobileNetV3Small', {minimalistic: true, alpha: 0.75}, 1742192, 1732512],
  ['MobileNetV3Large', {}, 5507432, 5483032],
  ['MobileNetV3Large', {includeTop: false}, 2996352, 2971952],
  ['MobileNetV3Large', {minimalistic: true}, 3948688, 3924288],
  ['EfficientNetB0', {}, 5330571, 5288548],
  ['EfficientNetB0', {includeTop: false}, 4049571, 4007548],
  ['EfficientNetB1', {}, 7856239, 7794184],
  ['EfficientNetB1', {includeTop: false}, 6575239, 6513184],
  ['EfficientNetB2', {}, 9177569, 9109994],
  ['EfficientNetB2', {includeTop: false}, 7768569, 7700994],
  ['EfficientNetB3', {}, 12320535, 12233232],
  ['EfficientNetB3', {includeTop: false}, 10783535, 10696232],
  ['EfficientNetB4', {}, 19466823, 19341616],
  ['EfficientNetB4', {includeTop: false}, 17673823, 17548616],
  ['EfficientNetB5', {}, 30562527, 30389784],
  ['EfficientNetB5', {includeTop: false}, 28513527, 28340784],
  ['EfficientNetB6', {}, 43265143, 43040704],
  ['EfficientNetB6', {includeTop: false}, 40960143, 40735704],
  ['EfficientNetB7', {}, 66658687, 66347960],
  ['EfficientNetB7', {includeTop: false}, 64097687, 63786960],
  ['EfficientNetV2B0', {}, 7200312, 7139704],
  ['EfficientNetV2B0', {includeTop: false}, 5919312, 5858704],
  ['EfficientNetV2B1', {}, 8212124, 8141052],
  ['EfficientNetV2B1', {includeTop: false}, 6931124, 6860052],
  ['EfficientNetV2B2', {}, 10178374, 10096086],
  ['EfficientNetV2B2', {includeTop: false}, 8769374, 8687086],
  ['EfficientNetV2B3', {}, 14467622, 14358406],
  ['EfficientNetV2B3', {includeTop: false}, 12930622, 12821406],
  ['EfficientNetV2S', {}, 21612360, 21458488],
  ['EfficientNetV2S', {includeTop: false}, 20331360, 20177488],
  ['EfficientNetV2M', {}, 54431388, 54139356],
  ['EfficientNetV2M', {includeTop: false}, 53150388, 52858356],
  ['EfficientNetV2L', {}, 119027848, 118515272],
  ['EfficientNetV2L', {includeTop: false}, 117746848, 117234272],
  ['ConvNeXtTiny', {}, 28589128, 28589128],
  ['ConvNeXtTiny', {includeTop: false}, 27820128, 27820128],
  ['ConvNeXtSmall', {}, 50223688, 50223688],
  ['ConvNeXtSmall', {includeTop: false}, 49454688, 49454688],
  ['ConvNeXtBase', {}, 88591464, 88591464],
  ['ConvNeXtBase', {includeTop: false}, 87566464, 87566464],
  ['ConvNeXtLarge', {}, 197767336, 197767336],
  ['ConvNeXtLarge', {includeTop: false}, 196230336, 196230336],
  ['ConvNeXtXLarge', {}, 350196968, 350196968],
  ['ConvNeXtXLarge', {includeTop: false}, 348147968, 348147968],
];

/** A model's [total, trainable] parameter counts. */
export function counts(m: k.Model): [number, number] {
  const size = (ws: k.Weight[]) => ws.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
  return [m.countParams(), size(m.trainableWeights)];
}

/** The rows of one family (applications whose names start with `prefix`, minus `except`). */
export function familyRows(prefix: string, except?: RegExp): Array<[string, Record<string, unknown>, number, number]> {
  return KERAS_PARAMS.filter(([name]) => name.startsWith(prefix) && !(except && except.test(name)));
}
