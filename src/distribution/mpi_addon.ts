/**
 * Loading keras-ts's MPI binding (native/mpi, built by `npx keras-ts build-mpi`, or by `npm install`
 * where mpicc is present). Every failure says what is missing and the command that fixes it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RuntimeError } from '../engine/errors';

/** The functions of native/mpi/addon.c. */
export interface MpiAddon {
  init(): { rank: number; size: number; library: string };
  /** MPI_Allreduce(MPI_IN_PLACE, SUM) over float32 values. */
  allreduceSum(values: Float32Array): void;
  /** MPI_Bcast of the bytes from `root`, in place. */
  broadcast(bytes: Uint8Array, root: number): void;
  barrier(): void;
  finalize(): void;
  /** Prints the message, then MPI_Abort(MPI_COMM_WORLD, code): every process of the job ends. */
  abort(code: number, message: string): never;
  /** The longest one collective may wait before this process ends itself (0: forever). */
  setTimeout(seconds: number): void;
}

export const INSTALL_HELP = 'apt-get install openmpi-bin libopenmpi-dev, then npx keras-ts build-mpi';

/** native/mpi/build/keras_mpi.node in the nearest folder above this file that has native/mpi. */
function addonPath(): string {
  if (process.env.KERAS_MPI_ADDON) return process.env.KERAS_MPI_ADDON;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'native', 'mpi'))) return path.join(dir, 'native', 'mpi', 'build', 'keras_mpi.node');
    dir = path.dirname(dir);
  }
  return path.join(__dirname, '..', '..', 'native', 'mpi', 'build', 'keras_mpi.node');
}

export const MPI_ADDON_PATH = addonPath();

let loaded: MpiAddon | null = null;

/** The binding, loaded once; throws a RuntimeError naming what is missing. `launched` says how the process was started. */
export function loadMpiAddon(launched: string): MpiAddon {
  if (loaded !== null) return loaded;
  if (!fs.existsSync(MPI_ADDON_PATH)) {
    throw new RuntimeError(
      `DataParallel: this process was started by an MPI launcher (${launched}) but keras-ts's MPI binding is not built ` +
        `(no ${MPI_ADDON_PATH}). help: ${INSTALL_HELP} (in this repository: npm run build:mpi).`,
    );
  }
  try {
    loaded = require(MPI_ADDON_PATH) as MpiAddon;
  } catch (e) {
    throw new RuntimeError(`DataParallel: the MPI binding failed to load: ${(e as Error).message}. help: rebuild it with \`npx keras-ts build-mpi\`.`);
  }
  return loaded;
}
