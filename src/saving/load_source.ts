/**
 * What loadModel can read, as tfjs's and Keras's loaders do, and how each is read: a file path (a
 * .keras or .h5 file, or a tfjs folder / model.json), a `file://` URL, the bytes of a .keras or .h5
 * file, an http(s) URL (of a tfjs model.json and its shards, or of a .keras/.h5 file, told apart
 * by the response's bytes), or tfjs's in-memory ModelArtifacts. Every source ends as either the
 * bytes of a Keras file or a decoded tfjs model, which model_io builds in one way each.
 */
import { fileURLToPath } from 'url';
import { FileFormatError, ValueError } from '../engine/errors';
import { checkGroupBytes, concatBytes, decodeArtifacts, decodeWeights, isArtifacts, isArrayBuffer, manifestGroups, parseModelJson, tfjsTopology } from './formats/tfjs_artifacts';
import type { ModelArtifacts, TfjsModel } from './formats/tfjs_artifacts';
import { isTfjsTarget, readTfjsFolder } from './formats/tfjs_layers';
import { readFileBytes } from './io/files';
import { isBrowserUrl, loadArtifacts } from './io/browser_storage';
import { isHdf5 } from './io/h5_file';
import { DownloadBudget, fetchBytes, isHttpUrl, MAX_DOWNLOAD_BYTES, shardUrl, shownUrl } from './io/http';
import type { NamedArray } from './io/h5_file';
import type { LoadBudget } from './load_budget';

/** An http:// or https:// URL. */
export type HttpUrl = `http://${string}` | `https://${string}`;

/** Everything loadModel reads: a path or URL (or a browser store's name), a file's bytes (or a File/Blob), or tfjs's in-memory artifacts. */
export type ModelSource = string | Uint8Array | ArrayBuffer | Blob | ModelArtifacts;

/** A source, read: the bytes of a .keras/.h5 file, or a decoded tfjs model. `what` names it in messages. */
export type ReadSource = { what: string; bytes: Uint8Array; file?: string } | { what: string; tfjs: TfjsModel };

/** How a source is named in loadModel's messages. */
export function describeSource(source: unknown): string {
  if (typeof source === 'string') return `loadModel('${isHttpUrl(source) && URL.canParse(source) ? shownUrl(new URL(source)) : source}')`;
  if (ArrayBuffer.isView(source) || isArrayBuffer(source)) {
    return `loadModel(<${(source as { byteLength: number }).byteLength} bytes>)`;
  }
  if (isBlob(source)) {
    const name = (source as unknown as { name?: unknown }).name;
    return `loadModel(<${typeof name === 'string' ? `File '${name}'` : 'Blob'}, ${source.size} bytes>)`;
  }
  return isArtifacts(source) ? 'loadModel(<tfjs ModelArtifacts>)' : 'loadModel';
}

/** Reads `source`; refuses what is none of the accepted kinds. */
export async function readSource(source: ModelSource, what: string, budget: LoadBudget): Promise<ReadSource> {
  if (typeof source === 'string') {
    if (source === '') throw new ValueError(`${what}: give a file path or a URL, got ''. help: e.g. loadModel('model.keras').`);
    if (isBrowserUrl(source)) return { what, tfjs: decodeArtifacts(await loadArtifacts(source, what), what) };
    const inPage = pageUrl(source);
    if (inPage !== undefined) return readUrl(inPage, what);
    if (isHttpUrl(source)) {
      if (!URL.canParse(source)) throw new ValueError(`${what}: '${source}' is not a valid URL. help: e.g. loadModel('https://example.com/model/model.json').`);
      return readUrl(new URL(source), what);
    }
    return readPath(/^file:\/\//i.test(source) ? filePath(source, what) : source, what, budget);
  }
  if (ArrayBuffer.isView(source) && (source as Uint8Array)[Symbol.toStringTag] === 'Uint8Array') return { what, bytes: source as Uint8Array }; // also a Buffer, of any realm
  if (isArrayBuffer(source)) return { what, bytes: new Uint8Array(source) };
  if (isBlob(source)) {
    budget.spend(source.size, what);
    return { what, bytes: new Uint8Array(await source.arrayBuffer()) };
  }
  if (isArtifacts(source)) return { what, tfjs: decodeArtifacts(source, what) };
  const got = ArrayBuffer.isView(source) ? (source as object).constructor.name : source === null ? 'null' : typeof source;
  throw new ValueError(
    `${what}: cannot load a model from ${got}. help: pass a file path or http(s) URL, the bytes of a .keras/.h5 file (Uint8Array, Buffer, ArrayBuffer, File or Blob), ` +
      "an 'indexeddb://name' or 'localstorage://name' a page saved to, or tfjs ModelArtifacts ({modelTopology, weightSpecs, weightData}).",
  );
}

/** A Blob or File (of any realm). */
function isBlob(x: unknown): x is Blob {
  return typeof Blob !== 'undefined' && (x instanceof Blob || Object.prototype.toString.call(x) === '[object Blob]' || Object.prototype.toString.call(x) === '[object File]');
}

/** In a web page, a path that is not a URL is one relative to the page, fetched as tfjs's loaders do; in Node, undefined. */
function pageUrl(source: string): URL | undefined {
  const g = globalThis as { document?: unknown; location?: { href?: string } };
  const page = g.document !== undefined ? g.location?.href : undefined;
  if (page === undefined || isHttpUrl(source)) return undefined;
  return URL.canParse(source, page) ? new URL(source, page) : undefined;
}

function filePath(url: string, what: string): string {
  try {
    return fileURLToPath(url);
  } catch (e) {
    throw new ValueError(`${what}: '${url}' is not a local file URL (${(e as Error).message}). help: pass a path, or a file:///absolute/path URL.`);
  }
}

async function readPath(file: string, what: string, budget: LoadBudget): Promise<ReadSource> {
  if (isTfjsTarget(file)) return { what, tfjs: readTfjsFolder(file, budget) };
  return { what, bytes: readFileBytes(file, 'loadModel', budget), file };
}

/** Fetches `url`: a .keras/.h5 file by its bytes, else a tfjs model.json whose shards are fetched beside it. */
async function readUrl(url: URL, what: string): Promise<ReadSource> {
  const shown = shownUrl(url);
  if (shown !== url.href) {
    throw new ValueError(`${what}: ${shown} carries a user name or password, which fetch does not send. help: fetch the file yourself (with your credentials) and pass its bytes.`);
  }
  const budget: DownloadBudget = { left: MAX_DOWNLOAD_BYTES };
  const bytes = await fetchBytes(url, budget, what);
  if ((bytes[0] === 0x50 && bytes[1] === 0x4b) || isHdf5(bytes)) return { what, bytes };
  if (bytes.find((b) => !(b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) !== 0x7b) {
    const start = new TextDecoder().decode(bytes.subarray(0, 40)).replace(/\s+/g, ' ');
    throw new ValueError(
      `${what}: ${shown} served neither a .keras archive (zip), an HDF5 file, nor a tfjs model.json (it begins '${start}'). ` +
        'help: give the URL of the model file itself (an HTML page or a login wall is not one).',
    );
  }
  const json = parseModelJson(bytes, shown);
  const { modelConfig, trainingConfig } = tfjsTopology(json, shown);
  const weights = new Map<string, NamedArray>();
  const groups = manifestGroups(json, shown);
  const urls = groups.map((g) => g.paths.map((p) => shardUrl(url, p, shown))); // every path checked before any is fetched
  const listed = new Set<string>();
  for (const u of urls.flat()) {
    if (listed.has(u.href)) throw new FileFormatError(`${shown}: the shard ${shownUrl(u)} is listed twice in weightsManifest. help: the file is corrupt or hostile.`);
    listed.add(u.href);
  }
  for (const [gi, group] of groups.entries()) {
    const shards: Uint8Array[] = [];
    for (const u of urls[gi]) shards.push(await fetchBytes(u, budget, what));
    const data = concatBytes(shards);
    checkGroupBytes(group, gi, data.length, shown);
    decodeWeights(group.entries, data, weights, shown);
  }
  return { what, tfjs: { modelConfig, trainingConfig, weights } };
}
