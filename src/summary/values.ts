/**
 * Summary values as TensorFlow 2's tf.summary writes them: a tag, the plugin that shows it
 * (`summary_metadata.plugin_data.plugin_name`) and a TensorProto holding the data.
 */
import { PNG } from 'pngjs';
import { histogramBuckets } from './histogram';

export type SummaryValue = Record<string, unknown>;

function metadata(plugin: string, description?: string, content?: Uint8Array): Record<string, unknown> {
  const pluginData: Record<string, unknown> = { plugin_name: plugin };
  if (content !== undefined) pluginData.content = content;
  return description ? { plugin_data: pluginData, summary_description: description } : { plugin_data: pluginData };
}

/** Scalars tab: a float32 scalar tensor. */
export function scalarValue(tag: string, value: number, description?: string): SummaryValue {
  return { tag, metadata: metadata('scalars', description), tensor: { dtype: 'DT_FLOAT', tensor_shape: {}, float_val: [value] } };
}

/** Histograms and Distributions tabs: a float64 tensor of shape [buckets, 3] (left edge, right edge, count). */
export function histogramValue(tag: string, data: ArrayLike<number>, buckets: number, description?: string): SummaryValue {
  const rows = histogramBuckets(data, buckets);
  return {
    tag,
    metadata: metadata('histograms', description),
    tensor: { dtype: 'DT_DOUBLE', tensor_shape: { dim: [{ size: buckets }, { size: 3 }] }, double_val: Array.from(rows) },
  };
}

/** Text tab: a string scalar (Markdown). */
export function textValue(tag: string, text: string, description?: string): SummaryValue {
  return { tag, metadata: metadata('text', description), tensor: { dtype: 'DT_STRING', tensor_shape: {}, string_val: [Buffer.from(text, 'utf8')] } };
}

/** Images tab: a string vector [width, height, png, png, ...]. */
export function imageValue(tag: string, pngs: Uint8Array[], width: number, height: number, description?: string): SummaryValue {
  const strings = [Buffer.from(String(width)), Buffer.from(String(height)), ...pngs];
  return { tag, metadata: metadata('images', description), tensor: { dtype: 'DT_STRING', tensor_shape: { dim: [{ size: strings.length }] }, string_val: strings } };
}

/**
 * A PNG of one image of `height` x `width` pixels with `channels` 1 (grey), 3 (RGB) or 4 (RGBA),
 * values in [0, 1] (clipped), rows first, as tf.summary.image converts floats.
 */
export function encodePng(pixels: ArrayLike<number>, height: number, width: number, channels: 1 | 3 | 4): Uint8Array {
  const colorType = ({ 1: 0, 3: 2, 4: 6 } as const)[channels];
  const png = new PNG({ width, height, colorType, inputColorType: colorType, inputHasAlpha: channels === 4 });
  const bytes = Buffer.alloc(width * height * channels);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, pixels[i] || 0)) * 255);
  png.data = bytes;
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: channels === 4 });
}
