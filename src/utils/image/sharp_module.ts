/**
 * sharp (libvips, shipped as prebuilt binaries per platform from npm) is loaded on first use, not at
 * import: importing keras-ts loads no image library. A binary that fails to load is a clear error.
 */
import { ValueError } from '../../engine/errors';

export type Sharp = typeof import('sharp').default;

let cached: Sharp | null = null;

/** The sharp module, or an error naming `where` and the fix. */
export function sharpModule(where: string): Sharp {
  if (cached !== null) return cached;
  try {
    cached = require('sharp') as Sharp;
  } catch (e) {
    throw new ValueError(
      `${where}: image files need the sharp package, whose prebuilt binary did not load (${(e as Error).message.split('\n')[0]}). ` +
        'help: reinstall with optional dependencies for this platform (npm install --include=optional sharp).',
    );
  }
  return cached;
}
