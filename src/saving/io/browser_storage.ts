/**
 * Models in the browser's own storage, named as tfjs names them:
 *   'indexeddb://name', 'localstorage://name'  tfjs's layers format (topology, weight specs, one
 *       weight buffer) through tfjs-core's own IndexedDB and localStorage handlers, so tfjs-layers
 *       and keras-ts read each other's models there; loadModel reads them back.
 *   'downloads://name'  the browser downloads name.json and name.weights.bin (tfjs's handler);
 *   'downloads://name.keras' | 'downloads://name.h5'  the browser downloads that one Keras file.
 * A downloaded file comes back through loadModel(file) (an <input type=file>'s File) or its URL.
 * These need a page: in Node, tfjs-core has no handler for the schemes and the refusal says so.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';

const SCHEME = /^(indexeddb|localstorage|downloads):\/\/(.*)$/i;

/** 'indexeddb://name', 'localstorage://name' or 'downloads://name'. */
export type BrowserUrl = `indexeddb://${string}` | `localstorage://${string}` | `downloads://${string}`;

/** Whether `s` names a browser store. */
export function isBrowserUrl(s: unknown): s is BrowserUrl {
  return typeof s === 'string' && SCHEME.test(s);
}

/** The scheme (lower case) and the name after it, checked to be non-empty. */
export function parseBrowserUrl(url: BrowserUrl, where: string): { scheme: 'indexeddb' | 'localstorage' | 'downloads'; name: string } {
  const [, scheme, name] = SCHEME.exec(url) as RegExpExecArray;
  if (name === '') throw new ValueError(`${where}: '${url}' names no model. help: e.g. '${scheme.toLowerCase()}://my-model'.`);
  return { scheme: scheme.toLowerCase() as 'indexeddb' | 'localstorage' | 'downloads', name };
}

function noHandler(url: string, where: string, kind: 'save' | 'load'): ValueError {
  const inPage = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  return new ValueError(
    `${where}: no tfjs handler can ${kind} '${url}'${inPage ? '' : ' outside a web page'}. ` +
      (inPage ? 'help: the browser blocks this storage here (private mode, a sandboxed frame); save to downloads:// instead.' : "help: in Node, save to a file path such as 'model.keras'."),
  );
}

/** Saves tfjs artifacts through tfjs-core's handler for `url`; refuses an existing model unless `overwrite`. */
export async function saveArtifacts(url: BrowserUrl, artifacts: tfc.io.ModelArtifacts, overwrite: boolean, where: string): Promise<void> {
  const { scheme, name } = parseBrowserUrl(url, where);
  const [handler] = tfc.io.getSaveHandlers(`${scheme}://${name}`); // tfjs's routers match the scheme in lower case
  if (handler?.save === undefined) throw noHandler(url, where, 'save');
  if (!overwrite && scheme !== 'downloads' && (await storedModels())[`${scheme}://${name}`] !== undefined) {
    throw new ValueError(`${where}: '${url}' holds a model already and overwrite is false. help: pass {overwrite: true} or another name.`);
  }
  const result = await handler.save(artifacts);
  if (result.errors !== undefined && result.errors.length > 0) throw new ValueError(`${where}: saving to '${url}' failed: ${result.errors.map(String).join('; ')}. help: free some storage, or save to downloads://.`);
}

async function storedModels(): Promise<Record<string, unknown>> {
  try {
    return await tfc.io.listModels();
  } catch {
    return {};
  }
}

/** Loads tfjs artifacts through tfjs-core's handler for `url` ('downloads://' cannot be read back). */
export async function loadArtifacts(url: BrowserUrl, where: string): Promise<tfc.io.ModelArtifacts> {
  const { scheme, name } = parseBrowserUrl(url, where);
  if (scheme === 'downloads') {
    throw new ValueError(`${where}: a download cannot be read back by its downloads:// name. help: load the downloaded file itself: a File from an <input type=file>, its bytes, or its URL.`);
  }
  const [handler] = tfc.io.getLoadHandlers(`${scheme}://${name}`);
  if (handler?.load === undefined) throw noHandler(url, where, 'load');
  try {
    return await handler.load();
  } catch (e) {
    throw new ValueError(`${where}: ${(e as Error).message} help: save a model there first with model.save('${url}'); tf.io.listModels() lists what is stored.`);
  }
}

/** Makes the browser download `bytes` as the file `name` (the downloads:// form of a .keras or .h5 file). */
export function downloadBytes(name: string, bytes: Uint8Array, where: string): void {
  const doc = (globalThis as { document?: { createElement(tag: string): { href: string; download: string; click(): void } } }).document;
  if (doc === undefined) throw noHandler(`downloads://${name}`, where, 'save');
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' })); // the DOM types want an ArrayBuffer-backed view
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // the download reads the URL after click() returns
}
