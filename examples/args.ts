/** A tiny `--name value` flag reader shared by the examples; a flag whose default is a boolean is a switch (`--distributed`). */
export function parseFlags<T extends Record<string, string | number | boolean>>(defaults: T, argv = process.argv.slice(2)): T {
  const out: Record<string, string | number | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument '${argv[i]}'. help: flags are ${Object.keys(defaults).map((k) => `--${k}`).join(', ')}.`);
    const key = m[1];
    if (!(key in defaults)) throw new Error(`unknown flag --${key}. help: flags are ${Object.keys(defaults).map((k) => `--${k}`).join(', ')}.`);
    if (typeof defaults[key] === 'boolean') {
      out[key] = m[2] === undefined ? true : m[2] !== 'false';
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`flag --${key} needs a value.`);
    out[key] = typeof defaults[key] === 'number' ? Number(value) : value;
    if (typeof defaults[key] === 'number' && !Number.isFinite(out[key] as number)) throw new Error(`flag --${key} needs a number, got '${value}'.`);
  }
  return out as T;
}

/** `--backend auto` (the default): the fastest available (native where built, else wasm); else the one named. */
export async function chooseBackend(name: string | number): Promise<void> {
  const k = await import('../src');
  if (name === 'auto') await k.ensureBackend();
  else await k.setBackend(name as import('../src').BackendName);
}
