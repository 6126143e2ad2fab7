// An ES-module user: named imports and the namespace from 'keras-ts'.
import * as k from 'keras-ts';
import { Sequential, setBackend } from 'keras-ts';
import run from './run.cjs';

if (typeof Sequential !== 'function' || typeof setBackend !== 'function') throw new Error('named imports are missing');
await run(k, 'esm');
