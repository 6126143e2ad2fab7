/**
 * Test helpers for getFile and k.datasets: an http server on 127.0.0.1 serving files from a table
 * (404 for anything else, a request log, redirects), and a tar writer written from the ustar
 * specification (not from the code under test), for archives benign and hostile.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface Route {
  body?: Uint8Array | string;
  status?: number;
  redirect?: string;
}

export class FileServer {
  readonly routes = new Map<string, Route>();
  readonly requests: string[] = [];
  private server: http.Server | null = null;
  base = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      this.requests.push(url);
      const route = this.routes.get(url);
      if (route === undefined) {
        res.writeHead(404);
        res.end('not found');
      } else if (route.redirect !== undefined) {
        res.writeHead(302, { location: route.redirect });
        res.end();
      } else {
        const body = typeof route.body === 'string' ? Buffer.from(route.body) : Buffer.from(route.body ?? new Uint8Array(0));
        res.writeHead(route.status ?? 200, { 'content-length': body.length });
        res.end(body);
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (this.server === null) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
    this.server = null;
  }
}

export interface TarItem {
  name: string;
  /** '0' file (default), '5' folder, '2' symbolic link, '1' hard link. */
  type?: string;
  data?: Uint8Array | string;
  linkname?: string;
}

/** A ustar archive of `items`, ended by two zero blocks. */
export function makeTar(items: TarItem[]): Buffer {
  const blocks: Buffer[] = [];
  for (const item of items) {
    const data = Buffer.from(item.data ?? '');
    const h = Buffer.alloc(512);
    h.write(item.name, 0, 100, 'utf8');
    h.write('0000644\0', 100, 'latin1');
    h.write('0000000\0', 108, 'latin1');
    h.write('0000000\0', 116, 'latin1');
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    h.write('00000000000\0', 136, 'latin1');
    h.write('        ', 148, 'latin1');
    h.write(item.type ?? '0', 156, 'latin1');
    h.write(item.linkname ?? '', 157, 100, 'utf8');
    h.write('ustar\0', 257, 'latin1');
    h.write('00', 263, 'latin1');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
