/** The browser build's mpi_addon.ts (scripts/build_browser.js swaps it in): MPI runs only in Node processes. */
import { RuntimeError } from '../engine/errors';

export type { MpiAddon } from './mpi_addon';

export function loadMpiAddon(launched: string): never {
  throw new RuntimeError(`Node-only: DataParallel over MPI (${launched}) needs keras-ts's MPI addon, which a browser cannot load. help: train data-parallel in Node under mpirun.`);
}
