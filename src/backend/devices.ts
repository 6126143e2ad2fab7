/**
 * Devices as TensorFlow names them — '/cpu:0', '/gpu:1', '/device:GPU:1', 'gpu', 'CPU:0', in any
 * case — beside keras-ts's backend names ('wasm', 'native', 'cuda:1').
 *
 * The contract:
 * - There is one CPU device, '/cpu:0', and a '/gpu:N' for each GPU a GPU backend lists (the CUDA
 *   addon's, numbered as the CUDA runtime numbers them: it applies CUDA_VISIBLE_DEVICES itself).
 * - '/cpu:0' is computed on by the active backend when it is a CPU backend (so a chosen 'wasm' or
 *   'cpu' stays), else by the default CPU backend: the highest-ranked one that has started or
 *   starts synchronously (native where its addon is built, else wasm once started, else cpu).
 *   '/gpu:N' is the cuda backend on GPU N.
 * - listDevices() starts no backend; it loads the CUDA addon, where it is built, to count the GPUs.
 * - resolveDevice() turns a name into a backend profile and device index, or throws a BackendError
 *   naming the devices present or the accepted forms, ending with `help:`.
 * This module loads no backend package (a CPU profile's register() may load its own).
 */
import * as os from 'os';
import * as tfc from '@tensorflow/tfjs-core';
import { BackendError } from '../engine/errors';
import { allProfiles, backendNames, BackendName, BackendProfile, BuiltinBackendName, DeviceType, profileNamed, profileOfTfjs } from './profile';

/** A device as listDevices names it. */
export type ListedDeviceName = `/cpu:${number}` | `/gpu:${number}`;

/**
 * A device as TensorFlow names it (any case: '/GPU:0' too), or a backend as keras-ts names it,
 * with a device index for a backend that has several ('cuda:1').
 */
export type DeviceName =
  | ListedDeviceName
  | `/device:CPU:${number}`
  | `/device:GPU:${number}`
  | 'cpu'
  | 'gpu'
  | 'CPU'
  | 'GPU'
  | `CPU:${number}`
  | `GPU:${number}`
  | `cuda:${number}`
  | BuiltinBackendName
  | (string & {});

/** One device, as listDevices reports it. */
export interface DeviceSpec {
  /** '/cpu:0', '/gpu:0', ...: a name device() and setBackend() accept. */
  name: ListedDeviceName;
  /** 'CPU' or 'GPU', as TensorFlow's `device_type`. */
  deviceType: DeviceType;
  /** The backend that computes on it. */
  backend: BackendName;
  /** What it is: cores and instruction set, or the GPU's name, compute capability and memory. */
  description?: string;
}

/** The accepted forms, for messages. */
export const DEVICE_FORMS = "'/cpu:0', '/device:CPU:0', 'cpu', 'CPU:0', '/gpu:1', '/device:GPU:1', 'gpu', 'GPU:0' (any case)";

/** A TensorFlow device name: its type and index (undefined when the name has none: 'gpu'). */
export function parseTensorFlowDevice(name: string): { type: DeviceType; index?: number } | undefined {
  const m = /^(?:\/device:|\/)?(cpu|gpu)(?::(\d{1,6}))?$/i.exec(name);
  if (m === null) return undefined;
  return { type: m[1].toUpperCase() as DeviceType, ...(m[2] !== undefined ? { index: Number(m[2]) } : {}) };
}

const typeOf = (p: BackendProfile): DeviceType => p.deviceType ?? 'CPU';
const byRank = (a: BackendProfile, b: BackendProfile): number => (b.autoPriority ?? 0) - (a.autoPriority ?? 0);

/**
 * The backend that computes on '/cpu:0' now (see the contract above). Registers a candidate to
 * learn whether it is available (native's addon built), never starts one.
 */
export function cpuDeviceProfile(): BackendProfile {
  const active = profileOfTfjs(tfc.engine().backendName);
  if (active !== undefined && typeOf(active) === 'CPU') return active;
  const ranked = allProfiles().filter((p) => typeOf(p) === 'CPU' && p.autoPriority !== undefined).sort(byRank);
  for (const profile of ranked) {
    if (tfc.engine().registry[profile.tfjsName] !== undefined) return profile; // started already (wasm after ready())
    if (profile.startsSynchronously !== true) continue;
    try {
      profile.register();
      return profile;
    } catch {
      // not available here (the native addon is not built): the next one
    }
  }
  throw new BackendError('no CPU backend could be registered. help: reinstall keras-ts (its cpu backend, @tensorflow/tfjs-backend-cpu, is a dependency).');
}

/** Each GPU, in '/gpu:N' order, with the backend and its own index; and why there are none. */
function gpuDevices(): { gpus: { profile: BackendProfile; index: number; description: string }[]; unavailable: string[] } {
  const gpus: { profile: BackendProfile; index: number; description: string }[] = [];
  const unavailable: string[] = [];
  for (const profile of allProfiles().filter((p) => typeOf(p) === 'GPU' && p.listDevices !== undefined)) {
    const listed = (profile.listDevices as () => ReturnType<NonNullable<BackendProfile['listDevices']>>)();
    listed.devices.forEach((d, index) => gpus.push({ profile, index, description: d.description }));
    if (listed.unavailable !== undefined) unavailable.push(listed.unavailable);
  }
  return { gpus, unavailable };
}

function cpuDescription(profile: BackendProfile): string {
  try {
    const own = profile.device?.();
    if (own !== undefined) return own;
  } catch {
    // a backend that cannot describe itself: the host's CPU below
  }
  const cpus = os.cpus();
  return `CPU, ${cpus.length} cores${cpus[0] !== undefined ? ` (${cpus[0].model.trim()})` : ''}`;
}

/**
 * Every device keras-ts can compute on: '/cpu:0' and each GPU, with the backend that serves it,
 * as TensorFlow's `tf.config.list_logical_devices()`. Starts no backend; where the CUDA addon is
 * built it is loaded to count the GPUs (once: the addon's load and the CUDA driver's
 * initialization, no GPU memory).
 */
export function listDevices(): DeviceSpec[] {
  const cpu = cpuDeviceProfile();
  const devices: DeviceSpec[] = [{ name: '/cpu:0', deviceType: 'CPU', backend: cpu.name, description: cpuDescription(cpu) }];
  gpuDevices().gpus.forEach((g, n) => devices.push({ name: `/gpu:${n}`, deviceType: 'GPU', backend: g.profile.name, description: g.description }));
  return devices;
}

/** A name resolved: the backend, and the device index to select on it (undefined: as it is). */
export interface ResolvedDevice {
  profile: BackendProfile;
  index?: number;
}

export interface ResolveOptions {
  /** How errors name the call: "setBackend('cuda:3')". */
  caller: string;
  /**
   * Which reading wins where a name is both a backend and a TensorFlow device ('cpu'): setBackend
   * keeps 'cpu' as the plain-JavaScript backend, device() reads it as TensorFlow's CPU device.
   */
  prefer: 'backend' | 'device';
  /** The error for a name that is neither. */
  unknown: (name: string) => string;
}

/** What `name` means: a backend and a device on it. Throws a BackendError naming what exists. */
export function resolveDevice(name: string, options: ResolveOptions): ResolvedDevice {
  if (typeof name !== 'string') throw new BackendError(options.unknown(String(name)));
  const exact = profileNamed(name);
  if (exact !== undefined && options.prefer === 'backend') return { profile: exact };
  const tf = parseTensorFlowDevice(name);
  if (tf !== undefined) return tf.type === 'CPU' ? cpuDevice(tf.index, options.caller) : gpuDevice(tf.index, options.caller);
  if (exact !== undefined) return { profile: exact };
  const m = /^(.+):(\d{1,6})$/.exec(name); // 'cuda:1'
  const profile = profileAnyCase(m !== null ? m[1] : name);
  if (profile === undefined) throw new BackendError(options.unknown(name));
  return m !== null ? backendDevice(profile, Number(m[2]), options.caller) : { profile };
}

/** The profile named `name`, or else the one whose name differs only in case ('WASM'). */
function profileAnyCase(name: string): BackendProfile | undefined {
  return profileNamed(name) ?? allProfiles().find((p) => p.name.toLowerCase() === name.toLowerCase());
}

/** '/cpu:0, /gpu:0, /gpu:1', for messages. */
function presentNames(): string {
  return ['/cpu:0', ...gpuDevices().gpus.map((_, n) => `/gpu:${n}`)].join(', ');
}

function visibility(): string {
  const v = process.env.CUDA_VISIBLE_DEVICES;
  return v === undefined ? '' : ` (CUDA_VISIBLE_DEVICES=${JSON.stringify(v)} leaves these visible, numbered from 0)`;
}

function cpuDevice(index: number | undefined, caller: string): ResolvedDevice {
  if (index !== undefined && index !== 0) {
    throw new BackendError(`${caller}: no CPU ${index}; the devices are ${presentNames()}. help: use '/cpu:0' (all cores are one device; k.setNumThreads(n) sets how many compute).`);
  }
  return { profile: cpuDeviceProfile() };
}

function gpuDevice(index: number | undefined, caller: string): ResolvedDevice {
  const { gpus, unavailable } = gpuDevices();
  const wanted = index ?? gpus.findIndex((g) => g.index === (g.profile.selectedDevice?.() ?? 0));
  const gpu = gpus[wanted];
  if (gpu === undefined) throw noDevice(caller, `no GPU ${index ?? 0}`, unavailable);
  return { profile: gpu.profile, index: gpu.index };
}

function backendDevice(profile: BackendProfile, index: number, caller: string): ResolvedDevice {
  if (profile.listDevices === undefined) {
    if (index === 0) return { profile };
    throw new BackendError(`${caller}: '${profile.name}' computes on one device, ${typeOf(profile) === 'CPU' ? '/cpu:0' : 'its GPU'}. help: write '${profile.name}' without ':${index}'.`);
  }
  const listed = profile.listDevices();
  if (index >= listed.devices.length) {
    throw noDevice(caller, `no ${typeOf(profile) === 'GPU' ? 'GPU' : `'${profile.name}' device`} ${index}`, listed.unavailable !== undefined ? [listed.unavailable] : []);
  }
  return { profile, index };
}

function noDevice(caller: string, what: string, unavailable: string[]): BackendError {
  const why = unavailable.length > 0 ? ` ${unavailable.join(' ')}` : ` help: use one of those${visibility()}.`;
  return new BackendError(`${caller}: ${what}; the devices are ${presentNames()}.${why}`);
}

/** Makes the resolved backend start on (or stay on) its device; the error names the call. */
export function selectDevice(resolved: ResolvedDevice, caller: string): void {
  if (resolved.index === undefined || resolved.profile.selectDevice === undefined) return;
  try {
    resolved.profile.selectDevice(resolved.index);
  } catch (e) {
    throw new BackendError(`${caller}: ${(e as Error).message}`);
  }
}

/** The message for a name setBackend does not know. */
export function unknownBackend(name: string): string {
  return `setBackend: unknown backend '${name}'. help: use one of ${backendNames()}, or registerBackendProfile() your own; devices as TensorFlow names them also work: ${DEVICE_FORMS}, and 'cuda:1'.`;
}

/** The message for a name device() does not know. */
export function unknownDevice(caller: string): (name: string) => string {
  return (name) => `${caller}: unknown device '${name}'. help: name a device as TensorFlow does, ${DEVICE_FORMS}, or a backend: ${backendNames()}, 'cuda:1'.`;
}
