/**
 * RemoteMonitor, as Keras's: at each epoch's end, POSTs `{epoch, ...logs}` to `root + path`, as a
 * form field (`field=<json>`, application/x-www-form-urlencoded) or, with sendAsJson, as a JSON
 * body. A server that cannot be reached gives a warning (through k.utils' logger), not an error:
 * training goes on. Runs on process 0 only in a data-parallel run.
 */
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { getLogger } from '../utils/logger';
import { BaseCallback, Logs } from './callback';

export interface RemoteMonitorArgs {
  /** The server's root URL. Keras: `root` @default 'http://localhost:9000' */
  root?: string;
  /** The path under the root. Keras: `path` @default '/publish/epoch/end/' */
  path?: string;
  /** The form field holding the JSON (when not sendAsJson). Keras: `field` @default 'data' */
  field?: string;
  /** Extra HTTP headers. Keras: `headers` @default undefined (none) */
  headers?: Record<string, string>;
  /** Send the logs as the JSON body instead of a form field. Keras: `send_as_json` @default false */
  sendAsJson?: boolean;
  /** Give up on a request after this many seconds (keras-ts's). Keras: none (requests waits) @default 10 */
  timeoutSeconds?: number;
}

export class RemoteMonitor extends BaseCallback {
  static readonly optionKeys = optionKeys<RemoteMonitorArgs>()('root', 'path', 'field', 'headers', 'sendAsJson', 'timeoutSeconds');
  readonly rankZeroOnly = true;
  readonly root: string;
  readonly path: string;
  readonly field: string;
  readonly headers: Record<string, string>;
  readonly sendAsJson: boolean;
  readonly timeoutSeconds: number;

  constructor(args: RemoteMonitorArgs = {}) {
    super();
    checkOptions('RemoteMonitor', args, RemoteMonitor.optionKeys);
    this.root = args.root ?? 'http://localhost:9000';
    this.path = args.path ?? '/publish/epoch/end/';
    this.field = args.field ?? 'data';
    this.headers = { ...(args.headers ?? {}) };
    this.sendAsJson = args.sendAsJson ?? false;
    this.timeoutSeconds = args.timeoutSeconds ?? 10;
    let url: URL;
    try {
      url = new URL(this.root + this.path);
    } catch {
      throw new ValueError(`RemoteMonitor: '${this.root + this.path}' (root + path) is not a URL. help: pass e.g. {root: 'http://localhost:9000', path: '/publish/epoch/end/'}.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ValueError(`RemoteMonitor: the URL must be http or https, got '${url.protocol}'. help: pass e.g. {root: 'http://localhost:9000'}.`);
    }
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const send = { epoch, ...logs };
    const body = this.sendAsJson ? JSON.stringify(send) : new URLSearchParams({ [this.field]: JSON.stringify(send) }).toString();
    const contentType = this.sendAsJson ? 'application/json' : 'application/x-www-form-urlencoded';
    try {
      await fetch(this.root + this.path, {
        method: 'POST', body, headers: { 'Content-Type': contentType, ...this.headers }, signal: AbortSignal.timeout(this.timeoutSeconds * 1000),
      });
    } catch (e) {
      getLogger().warn(`WARNING: RemoteMonitor: could not reach the server at ${this.root} (${(e as Error).message}). help: start the server, or check root and path.\n`);
    }
  }
}
