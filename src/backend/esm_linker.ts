/**
 * A minimal linker for tfjs-core's ESM build, used only to reach its gradient definitions.
 *
 * Why this exists: tfjs-core's Node entry (`dist/tf-core.node.js`, CommonJS) registers no
 * gradients, and the module that does (`dist/register_all_gradients.js`) is ESM whose imports have
 * no file extension, so neither `require` nor Node's ESM loader can load it. Jest and ts-node also
 * load modules differently. This linker reads those files with `fs` and evaluates them with
 * `Function`, so it behaves the same everywhere. Every imported name is taken from the CommonJS
 * build already loaded (so there is one engine, one kernel registry and one gradient registry);
 * only names that build does not export (internal ops such as `maxPoolGrad`) are linked from their
 * own ESM file, recursively.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';

type Namespace = Record<string, unknown>;

/** Namespaces of the CommonJS build that hold helpers the ESM files import by plain name. */
const HELPER_NAMESPACES: Namespace[] = [
  tfc.util, tfc.backend_util, tfc.broadcast_util, tfc.slice_util, tfc.tensor_util,
] as unknown as Namespace[];

/** Internal names that must resolve to the CommonJS build's one instance (one engine, one Tensor class). */
const SINGLETONS: Record<string, () => unknown> = {
  ENGINE: () => tfc.engine(),
  getGlobalTensorClass: () => () => tfc.Tensor,
};

const IMPORT_RE = /^import\s+(?:(\*\s+as\s+\w+|\{[^}]*\})\s+from\s+)?'([^']+)';\s*$/gm;
const EXPORT_DECL_RE = /^export\s+(const|let|var|function|class|async function)\s+(\w+)/gm;
const EXPORT_LIST_RE = /^export\s+\{([^}]*)\}(?:\s+from\s+'([^']+)')?;\s*$/gm;
const EXPORT_STAR_RE = /^export\s+\*\s+from\s+'([^']+)';\s*$/gm;

export class EsmLinker {
  private readonly cache = new Map<string, Namespace>();

  constructor(private readonly root: string) {}

  /** Links the module at `relPath` (relative to the root, without extension) and returns its exports. */
  load(relPath: string): Namespace {
    return this.link(path.join(this.root, relPath));
  }

  private link(file: string): Namespace {
    if (!path.isAbsolute(file)) return require(file) as Namespace; // a bare package name
    const cached = this.cache.get(file);
    if (cached) return cached;
    const exportsObj: Namespace = {};
    this.cache.set(file, exportsObj); // set first: tolerates import cycles
    const source = fs.readFileSync(`${file}.js`, 'utf8');
    const dir = path.dirname(file);
    const bindings: Record<string, unknown> = {};
    const reExports: string[] = [];

    let body = source.replace(IMPORT_RE, (_m, clause: string | undefined, from: string) => {
      if (clause) this.bindImport(clause, target(dir, from), bindings);
      else this.link(target(dir, from)); // a side-effect import (`import './abs';`)
      return '';
    });
    body = body.replace(EXPORT_STAR_RE, (_m, from: string) => {
      Object.assign(exportsObj, this.link(target(dir, from)));
      return '';
    });
    body = body.replace(EXPORT_LIST_RE, (_m, list: string, from: string | undefined) => {
      for (const [local, exported] of parseSpecifiers(list)) {
        if (from) exportsObj[exported] = this.link(target(dir, from))[local];
        else reExports.push(`${JSON.stringify(exported)}: ${local}`);
      }
      return '';
    });
    body = body.replace(EXPORT_DECL_RE, (_m, kind: string, name: string) => {
      reExports.push(`${JSON.stringify(name)}: ${name}`);
      return `${kind} ${name}`;
    });

    const names = Object.keys(bindings);
    const fn = new Function(...names, `'use strict';\n${body}\nreturn {${reExports.join(', ')}};`);
    Object.assign(exportsObj, fn(...names.map((n) => bindings[n])));
    return exportsObj;
  }

  private bindImport(clause: string, target: string, bindings: Record<string, unknown>): void {
    const star = /^\*\s+as\s+(\w+)$/.exec(clause.trim());
    if (star) {
      // Resolved name by name, on use, so a helper namespace rarely needs its own ESM file.
      bindings[star[1]] = new Proxy({}, { get: (_t, name) => this.resolveName(String(name), target) });
      return;
    }
    for (const [imported, local] of parseSpecifiers(clause.replace(/[{}]/g, ''))) {
      bindings[local] = this.resolveName(imported, target);
    }
  }

  /** A name from the CommonJS build when it has it, else from the target module's own ESM file. */
  private resolveName(name: string, target: string): unknown {
    const singleton = SINGLETONS[name];
    if (singleton !== undefined) return singleton();
    const top = (tfc as unknown as Namespace)[name];
    if (top !== undefined) return top;
    for (const ns of HELPER_NAMESPACES) if (ns[name] !== undefined) return ns[name];
    const value = this.link(target)[name];
    if (value === undefined) {
      throw new Error(`EsmLinker: ${path.relative(this.root, target)} does not export '${name}'.`);
    }
    return value;
  }
}

/** An absolute file path for a relative specifier; a bare package name stays as it is. */
function target(dir: string, from: string): string {
  return from.startsWith('.') ? path.join(dir, from) : from;
}

/** `a, b as c` -> [['a','a'], ['b','c']] */
function parseSpecifiers(list: string): Array<[string, string]> {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const [a, b] = s.split(/\s+as\s+/);
      return [a, b ?? a];
    });
}
