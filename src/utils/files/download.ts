/**
 * One download into the cache, all or nothing: the body of `url` (redirects followed, Node's
 * fetch) streams into a temporary file beside `target` while it is hashed, and only a complete body
 * whose hash matches (when one is given) is renamed to `target`. Anything else (an HTTP error, a
 * dropped connection, a wrong hash) removes the temporary file; a process killed mid-download leaves
 * at most a `.part-` file, never a partial or wrong file under the cache's name. A network failure (no route, DNS, refused) fails at
 * once with the URL and the exact path where the file can be placed by hand. With the environment
 * variable KERAS_TS_OFFLINE=1 nothing is fetched from another machine (an air-gapped host, the test
 * suite): the same error comes at once.
 */
import * as fs from 'fs';
import * as path from 'path';
import { STATUS_CODES } from 'http';
import { ValueError } from '../../engine/errors';
import { shownUrl } from '../../saving/io/http';
import { logLine } from '../logger';
import { DownloadProgress } from './download_progress';
import { newHasher } from './hash';

export interface DownloadRequest {
  url: string;
  /** Where the file goes. */
  target: string;
  /** The expected hex digest, or undefined for none. */
  fileHash?: string;
  algorithm: 'sha256' | 'md5';
  /** The caller's name, for messages. */
  what: string;
}

/** Downloads `req.url` to `req.target` (see the module header). */
export async function download(req: DownloadRequest): Promise<void> {
  const url = new URL(req.url);
  logLine(`Downloading data from ${shownUrl(url)}`);
  const response = await request(url, req);
  const tmp = path.join(path.dirname(req.target), `.${path.basename(req.target)}.part-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    const digest = await streamToFile(response, url, tmp, req);
    if (req.fileHash !== undefined && digest !== req.fileHash.toLowerCase()) {
      throw new ValueError(
        `${req.what}: the file downloaded from ${shownUrl(url)} is incomplete or corrupted: its ${req.algorithm} hash is ${digest}, not ${req.fileHash}. ` +
          'help: try again; if it persists, the file at the origin has changed: check the hash you passed (fileHash), or pass none.',
      );
    }
    fs.renameSync(tmp, req.target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Hosts that stay on this machine (KERAS_TS_OFFLINE still lets them through: tests serve files from them). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

async function request(url: URL, req: DownloadRequest): Promise<Response> {
  const off = process.env.KERAS_TS_OFFLINE;
  if (off !== undefined && off !== '' && off !== '0' && !LOOPBACK.has(url.hostname)) {
    throw offline(url, new Error('downloads are turned off by KERAS_TS_OFFLINE'), req);
  }
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (e) {
    throw offline(url, e, req);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const status = `${response.status} ${response.statusText || (STATUS_CODES[response.status] ?? '')}`.trim();
    throw new ValueError(
      `${req.what}: URL fetch failure on ${shownUrl(url)}: the server answered ${status}. ` +
        `help: check the origin URL; or download the file by other means and place it at ${req.target}.`,
    );
  }
  return response;
}

/** Writes the body to `tmp` with a progress bar and returns its hex digest. */
async function streamToFile(response: Response, url: URL, tmp: string, req: DownloadRequest): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const progress = new DownloadProgress(Number.isFinite(declared) ? declared : undefined);
  const hasher = newHasher(req.algorithm);
  const out = fs.openSync(tmp, 'wx');
  let bytes = 0;
  try {
    if (response.body !== null) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hasher.update(value);
        fs.writeSync(out, value);
        bytes += value.length;
        progress.update(bytes);
      }
    }
    fs.fsyncSync(out);
  } catch (e) {
    progress.abandon();
    throw e instanceof ValueError ? e : offline(url, e, req);
  } finally {
    fs.closeSync(out);
  }
  if (Number.isFinite(declared) && bytes !== declared) {
    progress.abandon();
    throw new ValueError(`${req.what}: the download of ${shownUrl(url)} ended after ${bytes} of ${declared} bytes. help: try again; or download the file by other means and place it at ${req.target}.`);
  }
  progress.done();
  return hasher.digest('hex');
}

/** The error for a download that could not reach the server or lost it. */
function offline(url: URL, e: unknown, req: DownloadRequest): ValueError {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message ?? err.message;
  const wrapped = new ValueError(
    `${req.what}: could not download ${shownUrl(url)} (${cause}). ` +
      `help: check the network (a proxy, a firewall, no connection); or download the file by other means and place it at ${req.target}, where it is used without a download.`,
  );
  (wrapped as Error & { cause?: unknown }).cause = e;
  return wrapped;
}
