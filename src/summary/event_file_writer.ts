/**
 * One event file: `events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2` in a log directory, as
 * TensorFlow 2 names them. The first record says `file_version: "brain.Event:2"`; later events are
 * queued and appended in whole records when the queue fills, `flushSecs` have passed, or on
 * `flush()`/`close()`. Each flush appends to the file and syncs it, so a crash loses at most the
 * unflushed events and a record cut short by a crash leaves the earlier ones readable.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ValueError } from '../engine/errors';
import { encode, protos } from './protos';
import { frameRecord } from './record';

export interface EventFileWriterArgs {
  /**
   * Seconds between automatic flushes. Keras: none; tf.summary.create_file_writer's `flush_millis` (120000)
   * @default 120
   */
  flushSecs?: number;
  /** Events queued before a flush. Keras: none; tf.summary.create_file_writer's `max_queue` @default 10 */
  maxQueue?: number;
  /** Appended to the file name. Keras: none; tf.summary.create_file_writer's `filename_suffix` @default '.v2' */
  filenameSuffix?: string;
}

/** A process-wide count, so two writers opened in the same second get different files. */
let fileCounter = 0;

export class EventFileWriter {
  /** The file being written. */
  readonly path: string;
  private fd: number | null;
  private queue: Uint8Array[] = [];
  private lastFlush = Date.now();
  private readonly flushMs: number;
  private readonly maxQueue: number;
  private readonly timer: NodeJS.Timeout;

  constructor(logDir: string, args: EventFileWriterArgs = {}) {
    const flushSecs = args.flushSecs ?? 120;
    const maxQueue = args.maxQueue ?? 10;
    if (!(flushSecs > 0)) throw new ValueError(`SummaryWriter: \`flushSecs\` must be a positive number, got ${flushSecs}. help: e.g. {flushSecs: 30}.`);
    if (!Number.isInteger(maxQueue) || maxQueue < 1) {
      throw new ValueError(`SummaryWriter: \`maxQueue\` must be a positive integer, got ${maxQueue}. help: e.g. {maxQueue: 10}.`);
    }
    this.flushMs = flushSecs * 1000;
    this.maxQueue = maxQueue;
    fs.mkdirSync(logDir, { recursive: true });
    const seconds = String(Math.floor(Date.now() / 1000)).padStart(10, '0');
    const name = `events.out.tfevents.${seconds}.${os.hostname()}.${process.pid}.${fileCounter++}${args.filenameSuffix ?? '.v2'}`;
    this.path = path.join(logDir, name);
    this.fd = fs.openSync(this.path, 'wx'); // never overwrite an existing file
    this.add({ wall_time: Date.now() / 1000, step: 0, file_version: 'brain.Event:2' });
    this.flush();
    // Flush on a timer too (between epochs, when the event loop turns); unref'd so it keeps no process alive.
    this.timer = setInterval(() => this.flush(), this.flushMs);
    this.timer.unref();
  }

  get closed(): boolean {
    return this.fd === null;
  }

  /** Queues one Event (a plain object in the schema's field names). */
  add(event: Record<string, unknown>): void {
    if (this.fd === null) throw new ValueError(`SummaryWriter: the event file ${this.path} is closed. help: create a new writer with createFileWriter(logDir).`);
    this.queue.push(frameRecord(encode(protos().Event, event)));
    if (this.queue.length >= this.maxQueue || Date.now() - this.lastFlush >= this.flushMs) this.flush();
  }

  /** Appends every queued record to the file and syncs it to disk. */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.fd === null || this.queue.length === 0) return;
    const data = Buffer.concat(this.queue);
    this.queue = [];
    let written = 0;
    while (written < data.length) written += fs.writeSync(this.fd, data, written, data.length - written);
    fs.fdatasyncSync(this.fd);
  }

  /** Flushes and closes the file; further events are refused. */
  close(): void {
    if (this.fd === null) return;
    this.flush();
    clearInterval(this.timer);
    fs.closeSync(this.fd);
    this.fd = null;
  }
}
