/**
 * The processes of one job and the collective calls between them: what DataParallel needs from MPI
 * (allreduce of float32 values, broadcast of bytes, barrier, abort), behind one small interface.
 * The MPI world is initialized once per process, when a DataParallel is made in a process that an
 * MPI launcher (mpirun) started; at exit it is finalized, or, when the process exits with an error
 * while the others may be waiting for it, the whole job is aborted with that process's message.
 */
import { loadMpiAddon, MpiAddon } from './mpi_addon';

export interface Communicator {
  /** This process's index, 0..size-1. */
  readonly rank: number;
  readonly size: number;
  /** The MPI library, e.g. 'Open MPI v4.1.4'. */
  readonly library: string;
  /** Sums `values` over the processes, in place (every process passes the same length). */
  allreduceSum(values: Float32Array): void;
  /** Copies `bytes` of process `root` into every process's `bytes` (same length everywhere). */
  broadcast(bytes: Uint8Array, root: number): void;
  barrier(): void;
  /** The longest one collective call may wait before this process ends itself with a message. */
  setTimeout(seconds: number): void;
  /** Prints `message` and ends every process of the job. */
  abort(message: string, code?: number): never;
}

/** How the launcher that started this process says how many processes there are. */
const LAUNCHER_SIZE_VARIABLES = ['OMPI_COMM_WORLD_SIZE', 'PMI_SIZE', 'PMIX_SIZE'];

/** The number of processes of the job this process was launched in, or null when no MPI launcher started it. */
export function launchedSize(env: Record<string, string | undefined> = process.env): { size: number; variable: string } | null {
  for (const variable of LAUNCHER_SIZE_VARIABLES) {
    const size = Number(env[variable]);
    if (env[variable] !== undefined && Number.isInteger(size) && size > 0) return { size, variable };
  }
  return null;
}

class MpiCommunicator implements Communicator {
  readonly rank: number;
  readonly size: number;
  readonly library: string;

  constructor(private readonly addon: MpiAddon) {
    const info = addon.init();
    this.rank = info.rank;
    this.size = info.size;
    this.library = info.library;
    process.on('exit', (code) => this.atExit(code));
  }

  allreduceSum(values: Float32Array): void {
    if (values.length > 0) this.addon.allreduceSum(values);
  }

  broadcast(bytes: Uint8Array, root: number): void {
    if (bytes.length > 0) this.addon.broadcast(bytes, root);
  }

  barrier(): void {
    this.addon.barrier();
  }

  setTimeout(seconds: number): void {
    this.addon.setTimeout(seconds);
  }

  abort(message: string, code = 1): never {
    return this.addon.abort(code, message);
  }

  /** A clean exit finalizes MPI; an exit with an error aborts the job, whose other processes would otherwise wait for this one. */
  private atExit(code: number): void {
    if (code === 0) {
      this.addon.finalize();
      return;
    }
    this.addon.abort(
      code,
      `keras-ts DataParallel (rank ${this.rank} of ${this.size}): this process is exiting with code ${code} (its error is above); ` +
        'ending every process of the job, since the others would wait for this one.',
    );
  }
}

let world: Communicator | null = null;

/** The MPI world of this process (initialized on first use). */
export function mpiWorld(launched: string): Communicator {
  world ??= new MpiCommunicator(loadMpiAddon(launched));
  return world;
}

/** Broadcasts float32 values from `root`, in place. */
export function broadcastFloats(comm: Communicator, values: Float32Array, root = 0): void {
  comm.broadcast(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), root);
}

/** `value` of process `root`, as JSON, on every process. */
export function broadcastJson<T>(comm: Communicator, value: T, root = 0): T {
  const text = comm.rank === root ? Buffer.from(JSON.stringify(value), 'utf8') : null;
  const length = new Int32Array([text?.length ?? 0]);
  comm.broadcast(new Uint8Array(length.buffer), root);
  const bytes = text === null ? new Uint8Array(length[0]) : new Uint8Array(text.buffer, text.byteOffset, text.length);
  comm.broadcast(bytes, root);
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')) as T;
}
