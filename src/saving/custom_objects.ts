/**
 * Keras's custom-object helpers: `CustomObjectScope` (classes a load may name while the scope is
 * open: Python's `with CustomObjectScope({...}):` is `scope.run(() => ...)`), `getCustomObjects()`
 * (the global table, editable: entries added to it are seen by every load), `getRegisteredName`
 * and `getRegisteredObject`. Every load consults, in order: its own `customObjects`, the open
 * scopes (innermost first), the global table, the registered classes, the built-in ones.
 */
import { ValueError } from '../engine/errors';
import { builtinRegistered, customObjectScopes, globalCustomObjects, registeredNameOf, userRegistered } from './registry';

export class CustomObjectScope {
  readonly objects: Record<string, unknown>;
  private open = false;

  /** Keras: `CustomObjectScope(custom_objects)`; several objects are merged, later ones winning. */
  constructor(...objects: Array<Record<string, unknown>>) {
    for (const o of objects) {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) {
        throw new ValueError(`CustomObjectScope: expected objects mapping names to classes or functions, got ${Array.isArray(o) ? 'an array' : String(o)}. help: new CustomObjectScope({MyLayer}).`);
      }
    }
    this.objects = Object.assign({}, ...objects) as Record<string, unknown>;
  }

  /** Opens the scope (Python's `__enter__`); pair it with `exit()`, or use `run`. */
  enter(): this {
    if (this.open) throw new ValueError('CustomObjectScope: the scope is already open. help: call exit() before entering it again.');
    customObjectScopes.push(this.objects);
    this.open = true;
    return this;
  }

  /** Closes the scope (Python's `__exit__`). */
  exit(): void {
    const i = customObjectScopes.lastIndexOf(this.objects);
    if (i >= 0) customObjectScopes.splice(i, 1);
    this.open = false;
  }

  /** Runs `fn` with the scope open; an async `fn` keeps it open until its promise settles. */
  run<T>(fn: () => T): T {
    this.enter();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.exit();
      throw e;
    }
    if (result instanceof Promise) return result.finally(() => this.exit()) as T;
    this.exit();
    return result;
  }
}

/** The global custom-object table: `Object.assign(getCustomObjects(), {MyLayer})` makes every load find MyLayer. Keras: `get_custom_objects` */
export function getCustomObjects(): Record<string, unknown> {
  return globalCustomObjects;
}

/** The name a file stores for `obj`: 'package>Name' when registered, else its class or function name. Keras: `get_registered_name` */
export function getRegisteredName(obj: unknown): string {
  if (typeof obj !== 'function') {
    throw new ValueError(`getRegisteredName: expected a class or function, got ${obj === null ? 'null' : typeof obj}. help: pass the class itself, e.g. getRegisteredName(MyLayer).`);
  }
  return registeredNameOf(obj) ?? obj.name;
}

/**
 * The class or function stored under `name`: from `customObjects`, the open scopes, the global
 * table, the registered user objects, then keras-ts's own classes; undefined when none has it.
 * Keras: `get_registered_object`
 */
export function getRegisteredObject(name: string, customObjects?: Record<string, unknown>, moduleObjects?: Record<string, unknown>): unknown {
  for (let i = customObjectScopes.length - 1; i >= 0; i--) if (name in customObjectScopes[i]) return customObjectScopes[i][name];
  if (name in globalCustomObjects) return globalCustomObjects[name];
  if (customObjects !== undefined && name in customObjects) return customObjects[name];
  if (moduleObjects !== undefined && name in moduleObjects) return moduleObjects[name];
  return userRegistered(name)?.cls ?? builtinRegistered(name)?.cls;
}
