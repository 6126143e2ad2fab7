/**
 * The browser build's profiles for the Node-only backends ('native', 'cuda', 'tensorflow'):
 * known by name, so setBackend('native') in a page says why it cannot start rather than that the
 * name is unknown; never chosen automatically. scripts/build_browser.js swaps them in through
 * src/backend/<name>/profile.browser.ts.
 */
import { BackendError } from '../engine/errors';
import type { BackendProfile } from '../backend/profile';

/** A profile whose register() refuses: `what` is the backend's description. */
export function nodeOnlyProfile(name: string, tfjsName: string, what: string): BackendProfile {
  return {
    name,
    tfjsName,
    register: () => {
      throw new BackendError(
        `Node-only: setBackend('${name}') needs ${what}, which a browser cannot load. help: in a page, choose setBackend('webgl'), 'webgpu', 'wasm' or 'cpu'.`,
      );
    },
    numThreads: () => 1,
  };
}
