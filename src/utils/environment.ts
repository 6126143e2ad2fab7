/**
 * Where keras-ts runs: Node (a `process` with `versions.node`), or a page or web worker, where there
 * is no process, no terminal and no file system. Decided at the call, never at import.
 */

/** Whether this is Node (or a runtime that says it is), as opposed to a browser page or worker. */
export function runsInNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}
