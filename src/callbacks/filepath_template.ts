/**
 * Keras's checkpoint file names: a template with Python format fields, such as
 * 'ckpt-{epoch:02d}-{val_loss:.2f}.keras' (fill with zeros, width, precision; types d, f, e, g, s, %).
 */
import { ValueError } from '../engine/errors';

const FIELD = /\{(\w+)(?::([^}]*))?\}/g;
const SPEC = /^(0)?(\d+)?(?:\.(\d+))?([dfeEgGs%])?$/;

function formatOne(value: number | string, spec: string | undefined, name: string, owner: string): string {
  if (spec === undefined || spec === '') return typeof value === 'number' && Number.isInteger(value) ? String(value) : String(value);
  const m = SPEC.exec(spec);
  if (m === null) throw new ValueError(`${owner}: cannot read the format '{${name}:${spec}}'. help: use e.g. {epoch:02d} or {val_loss:.4f}.`);
  const [, zero, width, precision, type] = m;
  let text: string;
  const v = typeof value === 'number' ? value : Number(value);
  switch (type) {
    case 'd': text = String(Math.trunc(v)); break;
    case 'f': text = v.toFixed(precision === undefined ? 6 : Number(precision)); break;
    case 'e': case 'E': {
      const [mant, exp] = v.toExponential(precision === undefined ? 6 : Number(precision)).split('e');
      text = `${mant}e${exp[0] === '-' ? '-' : '+'}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
      if (type === 'E') text = text.toUpperCase();
      break;
    }
    case 'g': case 'G': text = String(Number(v.toPrecision(precision === undefined ? 6 : Math.max(1, Number(precision))))); break;
    case '%': text = `${(v * 100).toFixed(precision === undefined ? 6 : Number(precision))}%`; break;
    default: text = precision !== undefined && typeof value === 'number' ? v.toFixed(Number(precision)) : String(value);
  }
  if (width !== undefined && text.length < Number(width)) {
    if (zero) text = text.startsWith('-') ? `-${text.slice(1).padStart(Number(width) - 1, '0')}` : text.padStart(Number(width), '0');
    else text = text.padStart(Number(width));
  }
  return text;
}

/** The file name for `values` (epoch, batch and the logs). A field with no value is refused, naming the ones there are. */
export function formatFilepath(template: string, values: Record<string, number | string>, owner: string): string {
  return template.replace(FIELD, (_m, name: string, spec: string | undefined) => {
    if (!(name in values)) {
      throw new ValueError(`${owner}: the filepath '${template}' needs '{${name}}', which is not in the logs (${Object.keys(values).join(', ')}). help: use one of those names.`);
    }
    return formatOne(values[name], spec, name, owner);
  });
}
