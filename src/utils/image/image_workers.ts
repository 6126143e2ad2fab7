/**
 * The worker threads that decode, convert and resize a dataset's images off the main thread
 * (./image_worker.js running ./load_bilinear's loadBilinearBatch), one pool per process shared by
 * every dataset, started on first use. A job is a list of files and where their pixels go: a
 * Float32Array over a SharedArrayBuffer (the batch's buffer) and an offset per file; the worker
 * writes there and answers once for the list, so the main thread only posts a few messages per
 * batch (loadMany splits a batch into two jobs per worker) and makes one tensor per batch. Jobs go
 * to the least busy worker.
 * Workers keep the process alive only while they have jobs (ref'd then, unref'd when idle); after
 * IDLE_MS without jobs all are terminated. A failed job rejects with the worker's error (a ValueError
 * naming the file); a worker that dies rejects its jobs with an error naming their files.
 */
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ValueError } from '../../engine/errors';
import type { ResizeSpec } from './load_bilinear';

/**
 * How long the pool waits without jobs before terminating its workers: longer than a training
 * epoch's pause between datasets (validation, callbacks): a worker's start and first image cost about
 * 70 ms of CPU from dist/ and 0.5 s from src/ (ts-node compiling its modules), measured here.
 */
const IDLE_MS = 30_000;

/** One image to make: ./load_bilinear's loadBilinear(file, spec, where, out, offset), `out` over a SharedArrayBuffer. */
export interface ImageJob {
  file: string;
  spec: ResizeSpec;
  where: string;
  out: Float32Array;
  offset: number;
}

interface Job {
  files: string[];
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

/** At most this many image workers by default: each loads sharp (and libvips's own threads), and a batch rarely needs more. */
const MAX_DEFAULT_WORKERS = 8;

/** The default number of image workers: the CPUs this process may use, at most 8. */
export function defaultImageWorkers(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.min(cpus, MAX_DEFAULT_WORKERS);
}

/** A pool of image workers (see the module header). */
export class ImageWorkers {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private idle: NodeJS.Timeout | null = null;

  /** The number of workers started. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Decodes the job's file in one of (at most) `workers` workers and writes its bilinear-resized
   * pixels into `out` (a Float32Array over a SharedArrayBuffer) from `offset`, as loadBilinear would on this thread.
   */
  load({ file, spec, where, out, offset }: ImageJob, workers: number): Promise<void> {
    return this.post([file], spec, where, out, [offset], workers);
  }

  /**
   * load() for many files of one batch: `files[i]` into `out` from `offsets[i]`, split into at most
   * two jobs per worker (one message each), so the main thread posts a handful of messages per batch.
   */
  loadMany(files: string[], spec: ResizeSpec, where: string, out: Float32Array, offsets: number[], workers: number): Promise<void> {
    const jobs = Math.min(files.length, 2 * workers);
    const each = Math.ceil(files.length / Math.max(jobs, 1));
    const posted: Promise<void>[] = [];
    for (let at = 0; at < files.length; at += each) posted.push(this.post(files.slice(at, at + each), spec, where, out, offsets.slice(at, at + each), workers));
    return Promise.all(posted).then(() => undefined);
  }

  private post(files: string[], spec: ResizeSpec, where: string, out: Float32Array, offsets: number[], workers: number): Promise<void> {
    if (!(out.buffer instanceof SharedArrayBuffer)) throw new ValueError(`${where}: an image worker writes into a SharedArrayBuffer, got a ${out.buffer.constructor.name}. help: allocate the batch with new Float32Array(new SharedArrayBuffer(bytes)).`);
    const slot = this.pick(workers);
    const id = this.nextId++;
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = null;
    const { mode, imageSize, interpolation, crop, pad } = spec;
    const base = out.byteOffset / 4;
    return new Promise<void>((resolve, reject) => {
      slot.jobs.set(id, { files, resolve, reject });
      if (slot.jobs.size === 1) slot.worker.ref();
      slot.worker.postMessage({ id, files, where, spec: { mode, imageSize, interpolation, crop, pad }, buffer: out.buffer, offsets: offsets.map((o) => base + o) });
    });
  }

  /** Terminates every worker (jobs still running reject); the next load starts new ones. */
  async close(): Promise<void> {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = null;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** The least busy of the first `workers` slots, starting one while fewer are running. */
  private pick(workers: number): Slot {
    if (this.slots.length < workers) return this.start();
    let best = this.slots[0];
    for (let i = 1; i < workers; i++) if (this.slots[i].jobs.size < best.jobs.size) best = this.slots[i];
    return best;
  }

  private start(): Slot {
    const worker = new Worker(path.join(__dirname, 'image_worker.js'));
    const slot: Slot = { worker, jobs: new Map() };
    worker.unref();
    worker.on('message', (m: { id: number; error?: { name: string; message: string } }) => this.answer(slot, m));
    worker.on('error', (e) => this.fail(slot, e.message));
    worker.on('exit', (code) => this.fail(slot, `it exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private answer(slot: Slot, m: { id: number; error?: { name: string; message: string } }): void {
    const job = slot.jobs.get(m.id);
    if (job === undefined) return;
    slot.jobs.delete(m.id);
    if (slot.jobs.size === 0) slot.worker.unref();
    this.maybeIdle();
    if (m.error === undefined) job.resolve();
    else job.reject(m.error.name === 'ValueError' ? new ValueError(m.error.message) : new Error(m.error.message));
  }

  /** A worker that died: its jobs reject naming their files, and it leaves the pool. */
  private fail(slot: Slot, why: string): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    for (const job of slot.jobs.values()) {
      job.reject(new Error(`image worker: stopped while decoding '${job.files.join("', '")}' (${why}). help: check that the file decodes with k.utils.loadImg; pass workers: 0 to decode on the main thread.`));
    }
    slot.jobs.clear();
    this.maybeIdle();
  }

  private maybeIdle(): void {
    if (this.idle !== null || this.slots.length === 0 || this.slots.some((s) => s.jobs.size > 0)) return;
    this.idle = setTimeout(() => void this.close(), IDLE_MS);
    this.idle.unref();
  }
}

let pool: ImageWorkers | null = null;

/** The process's image workers. */
export function imageWorkers(): ImageWorkers {
  pool ??= new ImageWorkers();
  return pool;
}

/** Terminates the process's image workers, if any (they also stop by themselves when idle). */
export async function closeImageWorkers(): Promise<void> {
  if (pool !== null) await pool.close();
}
