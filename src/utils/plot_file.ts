/**
 * Where plotModel and plotHistory write: a file in Node, nothing in a page (no file system), where
 * they return the SVG text instead. No `path` module, so the SVG path runs in a page.
 */
import { ValueError } from '../engine/errors';
import { runsInNode } from './environment';

/** The default `toFile`: `name` in Node, null (return the SVG text) in a page. */
export function defaultFile(name: string): string | null {
  return runsInNode() ? name : null;
}

/** The lower-case extension of `file` ('.svg'), or '' when it has none; only in Node, where files can be written. */
export function extension(file: string, where: string): string {
  if (typeof file !== 'string') {
    throw new ValueError(`${where}: \`toFile\` must be a file name or null, got ${typeof file}. help: e.g. '${where === 'plotModel' ? 'model' : 'curves'}.svg', or null for the SVG text.`);
  }
  if (!runsInNode()) {
    throw new ValueError(`${where}: cannot write '${file}': a page has no files (writing is Node-only). help: pass null (the default in a page) to get the SVG text, e.g. element.innerHTML = await ${where}(x, null).`);
  }
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}
