/**
 * Keras's `keras.name_scope`: a sub-namespace for the paths of the variables created inside it.
 * `nameScope('encoder', () => new k.Variable({...name: 'w'}))` makes a variable whose `path` is
 * 'encoder/w'; scopes nest ('outer/inner/w'). The scope is open only while `fn` runs (Python's
 * `with` block); an async `fn` keeps it open until its promise settles.
 */
import { ValueError } from './errors';

const stack: string[] = [];

/** Runs `fn` with `name` appended to the current name path. Keras: `name_scope` */
export function nameScope<T>(name: string, fn: () => T): T {
  if (typeof name !== 'string' || name === '' || name.includes('/')) {
    throw new ValueError(`nameScope: \`name\` must be a non-empty string without '/', got ${JSON.stringify(name)}. help: nest scopes instead, e.g. nameScope('a', () => nameScope('b', fn)).`);
  }
  if (typeof fn !== 'function') throw new ValueError(`nameScope('${name}'): expected a function to run inside the scope, got ${typeof fn}. help: nameScope('${name}', () => { ... }).`);
  stack.push(name);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    stack.pop();
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => stack.pop()) as T;
  stack.pop();
  return result;
}

/** The '/'-joined names of the open scopes ('' outside any). Keras: `current_path` */
export function currentNamePath(): string {
  return stack.join('/');
}
