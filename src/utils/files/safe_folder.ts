/**
 * A folder that archive entries are written into, each path checked first: no absolute path, no
 * `..`, nothing written through a symbolic link that leads out (every parent folder is made one
 * level at a time and its real path checked), symbolic links only to places inside, and at the end
 * `checkLinks` walks the tree so that no link left behind leads out. A refusal names the entry.
 * Real paths are the system's (realpath.native): Node's JavaScript realpath resolves `link/..`
 * lexically, which a link to '.' turns into a way out.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FileFormatError } from '../../engine/errors';

export class SafeFolder {
  readonly root: string;

  /** `root` must exist; `what` names the caller in messages. */
  constructor(root: string, readonly what: string) {
    this.root = fs.realpathSync.native(root);
  }

  /** Creates the folder `name` (and its parents). */
  mkdir(name: string): void {
    this.mkdirs(this.parts(name), name);
  }

  /** Opens a new file `name` for writing (one already there is replaced) and returns its descriptor. */
  createFile(name: string, mode = 0o644): number {
    const full = this.prepare(name);
    return fs.openSync(full, 'wx', (mode & 0o111) !== 0 ? 0o755 : 0o644);
  }

  /** Writes `data` as the file `name`. */
  writeFile(name: string, data: Uint8Array): void {
    const fd = this.createFile(name);
    try {
      fs.writeSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** A symbolic link `name` -> `target`, refused unless the target lies inside the folder. */
  symlink(name: string, target: string): void {
    const full = this.prepare(name);
    if (target === '' || path.isAbsolute(target) || /^[a-zA-Z]:/.test(target) || !this.isInside(path.resolve(path.dirname(full), target))) {
      throw this.refuse(name, `a symbolic link to '${target}', outside the extraction folder`);
    }
    fs.symlinkSync(target, full);
  }

  /** A hard link `name` to `source` (a file extracted before), made as a copy. */
  copyInside(source: string, name: string): void {
    const from = path.join(this.root, ...this.parts(source));
    let real: string;
    try {
      real = fs.realpathSync.native(from);
    } catch {
      throw this.refuse(name, `a hard link to '${source}', which is not in the archive before it`);
    }
    if (!this.isInside(real) || !fs.statSync(real).isFile()) throw this.refuse(name, `a hard link to '${source}', outside the extraction folder`);
    const full = this.prepare(name);
    fs.copyFileSync(real, full, fs.constants.COPYFILE_EXCL);
  }

  /** Refuses the extraction if any symbolic link in the tree leads outside it. */
  checkLinks(dir = this.root): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = fs.readlinkSync(full);
        let real: string;
        try {
          real = fs.realpathSync.native(full);
        } catch {
          real = path.resolve(fs.realpathSync.native(dir), target); // a dangling link: where it would lead
        }
        if (!this.isInside(real)) throw this.refuse(path.relative(this.root, full), `a symbolic link that leads outside the extraction folder (to ${real})`);
      } else if (entry.isDirectory()) {
        this.checkLinks(full);
      }
    }
  }

  /** The parent folders of `name` made, anything at `name` that is not a folder removed: the full path. */
  private prepare(name: string): string {
    const parts = this.parts(name);
    if (parts.length === 0) throw this.refuse(name, 'an empty file name');
    const parent = this.mkdirs(parts.slice(0, -1), name);
    const full = path.join(parent, parts[parts.length - 1]);
    const existing = lstatOrNull(full);
    if (existing?.isDirectory()) throw this.refuse(name, 'a file where the archive already made a folder');
    if (existing !== null) fs.unlinkSync(full); // a later entry replaces an earlier one, as tar does; a link is replaced, never followed
    return full;
  }

  /** Makes each folder of `parts` in turn, checking each one's real path: the real path of the last. */
  private mkdirs(parts: string[], name: string): string {
    let dir = this.root;
    for (const part of parts) {
      const next = path.join(dir, part);
      if (lstatOrNull(next) === null) fs.mkdirSync(next);
      const real = fs.realpathSync.native(next);
      if (!this.isInside(real) || !fs.statSync(real).isDirectory()) throw this.refuse(name, `a path through '${part}', which leads outside the extraction folder`);
      dir = real;
    }
    return dir;
  }

  /** The components of an entry's name; absolute names and `..` are refused. */
  private parts(name: string): string[] {
    if (name.includes('\0') || path.isAbsolute(name) || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) throw this.refuse(name, 'an absolute path');
    const parts = name.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) throw this.refuse(name, "a path with '..', which leads outside the extraction folder");
    return parts;
  }

  private isInside(p: string): boolean {
    return p === this.root || p.startsWith(this.root + path.sep);
  }

  private refuse(name: string, why: string): FileFormatError {
    return new FileFormatError(`${this.what}: refusing the archive entry '${name}': ${why}. help: the archive is corrupt or was made to attack; do not extract it.`);
  }
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}
