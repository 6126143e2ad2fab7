/**
 * Reading a model over http(s) with Node's global fetch, bounded: one download budget per load
 * (MAX_DOWNLOAD_BYTES over model.json and every shard), checked against Content-Length before the
 * body is read and counted while it is read. Errors name the URL and the HTTP status, or, for a
 * network failure, the cause and what to check. Shard paths written in a model.json are resolved
 * against its folder and refused unless they stay inside it, on the same origin.
 */
import { STATUS_CODES } from 'http';
import { FileFormatError, ValueError } from '../../engine/errors';

/** The most bytes one loadModel downloads (model.json and shards together): 1 GiB. */
export const MAX_DOWNLOAD_BYTES = 2 ** 30;

/** What is left of one load's download allowance, shared by its requests. */
export interface DownloadBudget {
  left: number;
}

/** `url` as messages show it: without a user name or password. */
export function shownUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/** Whether `source` is an http:// or https:// URL. */
export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function tooLarge(url: URL, size: string, what: string): ValueError {
  return new ValueError(
    `${what}: ${shownUrl(url)} is larger (${size}) than loadModel downloads (${MAX_DOWNLOAD_BYTES} bytes for a whole model). ` +
      'help: download it yourself (e.g. curl -O) and pass the file path.',
  );
}

function networkError(url: URL, e: unknown, what: string): ValueError {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message ?? err.message;
  const wrapped = new ValueError(
    `${what}: could not fetch ${shownUrl(url)} (${cause}). help: check the URL, that the server is up and reachable from this machine (network, proxy, firewall), and that it serves ${url.protocol.slice(0, -1)}.`,
  );
  (wrapped as Error & { cause?: unknown }).cause = e;
  return wrapped;
}

/** The body of `url` (redirects followed), counted against `budget`; any status other than 2xx is refused. */
export async function fetchBytes(url: URL, budget: DownloadBudget, what: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (e) {
    throw networkError(url, e, what);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ValueError(`${what}: ${shownUrl(url)} answered ${response.status} ${response.statusText || (STATUS_CODES[response.status] ?? '')}. help: check the URL; a tfjs model's shards must be served beside its model.json.`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > budget.left) {
    await response.body?.cancel();
    throw tooLarge(url, `${declared} bytes`, what);
  }
  return readBody(response, url, budget, what);
}

async function readBody(response: Response, url: URL, budget: DownloadBudget, what: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > budget.left) {
        await reader.cancel();
        throw tooLarge(url, `over ${budget.left} bytes`, what);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof ValueError) throw e;
    throw networkError(url, e, what);
  }
  budget.left -= total;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The URL of a shard path written in the model.json at `modelUrl`, as tfjs's io.http resolves it
 * (relative to model.json's folder). Refused: `..` in any form (also percent-encoded), and any
 * path that resolves to another origin or outside that folder.
 */
export function shardUrl(modelUrl: URL, relative: unknown, what: string): URL {
  if (typeof relative !== 'string' || relative.length === 0 || relative.includes('\0')) {
    throw new FileFormatError(`${what}: a shard path in it is ${JSON.stringify(relative)}, not a file name. help: the file is corrupt.`);
  }
  const folder = new URL('.', modelUrl);
  const refuse = (why: string): FileFormatError =>
    new FileFormatError(`${what}: refusing the shard path '${relative}', which ${why}. help: weight files must be served beside model.json (${shownUrl(folder)}).`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative.split(/[?#]/)[0]);
  } catch {
    throw refuse('is not a valid URL path');
  }
  if (decoded.split(/[\\/]/).includes('..')) throw refuse("leaves the model's folder");
  const url = new URL(relative, folder);
  if (url.origin !== folder.origin) throw refuse(`leads to another origin (${url.origin})`);
  if (!url.pathname.startsWith(folder.pathname)) throw refuse(`leads outside the model's folder (to ${url.pathname})`);
  return url;
}
