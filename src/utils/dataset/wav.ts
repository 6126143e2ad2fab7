/**
 * A small RIFF/WAVE reader: PCM 8-bit (unsigned), 16-, 24- and 32-bit (signed) integers, and 32-bit
 * IEEE floats (format 3, or WAVE_FORMAT_EXTENSIBLE with those subformats), any channel count. The
 * samples come out as float32 in [-1, 1), [frames, channels], as TensorFlow's tf.audio.decode_wav
 * scales them (integer / 2^(bits-1)). Compressed formats are refused with the format code.
 */
import { ValueError } from '../../engine/errors';

export interface Wav {
  sampleRate: number;
  channels: number;
  /** Interleaved float32 samples, frames × channels. */
  samples: Float32Array;
  frames: number;
}

export function decodeWav(bytes: Uint8Array, where: string): Wav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new ValueError(`${where}: not a WAV file (no RIFF/WAVE header). help: convert the file to PCM .wav (e.g. ffmpeg -i in.mp3 out.wav).`);
  }
  let format: { code: number; channels: number; rate: number; bits: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      let code = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (code === 0xfffe && size >= 40) code = view.getUint16(body + 24, true); // WAVE_FORMAT_EXTENSIBLE: the subformat's code
      format = { code, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits };
    } else if (id === 'data') {
      if (format === null) throw new ValueError(`${where}: the WAV file has its data before its format chunk. help: re-encode the file.`);
      return { sampleRate: format.rate, channels: format.channels, ...pcm(view, body, Math.min(size, bytes.length - body), format, where) };
    }
    at = body + size + (size % 2); // chunks are padded to an even size
  }
  throw new ValueError(`${where}: the WAV file has no ${format === null ? 'format' : 'data'} chunk. help: the file is truncated or corrupt.`);
}

function pcm(view: DataView, start: number, size: number, f: { code: number; channels: number; bits: number }, where: string): { samples: Float32Array; frames: number } {
  const bytesPer = f.bits / 8;
  const supported = (f.code === 1 && [8, 16, 24, 32].includes(f.bits)) || (f.code === 3 && f.bits === 32);
  if (!supported || f.channels < 1) {
    throw new ValueError(`${where}: WAV format ${f.code} with ${f.bits}-bit samples is not supported (PCM 8/16/24/32-bit and 32-bit float are). help: convert it, e.g. ffmpeg -i in.wav -acodec pcm_s16le out.wav.`);
  }
  const count = Math.floor(size / bytesPer);
  const frames = Math.floor(count / f.channels);
  const samples = new Float32Array(frames * f.channels);
  for (let i = 0; i < samples.length; i++) {
    const at = start + i * bytesPer;
    if (f.code === 3) samples[i] = view.getFloat32(at, true);
    else if (f.bits === 8) samples[i] = (view.getUint8(at) - 128) / 128;
    else if (f.bits === 16) samples[i] = view.getInt16(at, true) / 32768;
    else if (f.bits === 24) samples[i] = (((view.getUint8(at + 2) << 24) | (view.getUint8(at + 1) << 16) | (view.getUint8(at) << 8)) >> 8) / 8388608;
    else samples[i] = view.getInt32(at, true) / 2147483648;
  }
  return { samples, frames };
}
