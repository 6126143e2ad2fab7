/**
 * plotHistory: the training curves of a fit, one panel per quantity (the loss, then each metric),
 * training against validation, with axes and a legend. The chart is a Vega-Lite specification,
 * compiled by vega-lite and rendered to SVG in Node by vega (no browser, no canvas); PNG goes
 * through resvg like plotModel's (Node-only). With no file (null, the default in a page) it returns
 * the SVG text: vega and vega-lite are plain JavaScript, so that path runs in a page too.
 *
 *   const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.1 });
 *   await k.utils.plotHistory(history, 'curves.svg');
 */
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { defaultFile, extension } from './plot_file';
import { svgToPng } from './svg_to_png';
import { writeFileAtomic } from './write_file';

export interface PlotHistoryArgs {
  /** A title over the panels. Keras: none (Keras has no plot_history) @default undefined (no title) */
  title?: string;
  /** Width of each panel, in pixels. Keras: none @default 320 */
  width?: number;
  /** Height of each panel, in pixels. Keras: none @default 220 */
  height?: number;
  /** Panels per row. Keras: none @default 2 (or 1 for one quantity) */
  columns?: number;
  /** PNG pixels per SVG pixel. Keras: none @default 2 */
  scale?: number;
}
const KEYS = optionKeys<PlotHistoryArgs>()('title', 'width', 'height', 'columns', 'scale');

/** What fit returns (a History), or just its record of lists: { loss: [...], val_loss: [...] }. */
export type HistoryLike = { history: Record<string, number[]>; epoch?: number[] } | Record<string, number[]>;

interface Point {
  epoch: number;
  quantity: string;
  split: 'training' | 'validation';
  value: number;
}

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/**
 * The points to draw: each quantity's training values (key `x`) and validation values (`val_x`).
 * A list with one value per epoch is drawn at those epochs (1-based, as the progress bar counts);
 * a shorter one (validation every few epochs) at 1, 2, ... of its own.
 */
function points(history: HistoryLike, where: string): { points: Point[]; quantities: string[] } {
  const record = (typeof history === 'object' && history !== null && 'history' in history && typeof history.history === 'object' ? history.history : history) as Record<string, unknown>;
  const epochs = (history as { epoch?: unknown }).epoch;
  if (record === null || typeof record !== 'object' || Object.keys(record).length === 0) {
    throw new ValueError(`${where}: expected the History that fit returns (or {loss: [...], ...}), got ${record === null ? 'null' : typeof record === 'object' ? 'an empty record' : typeof record}. help: const history = await model.fit(...); plotHistory(history, 'curves.svg').`);
  }
  for (const [key, values] of Object.entries(record)) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
      throw new ValueError(`${where}: '${key}' must be a list of numbers, got ${JSON.stringify(values)?.slice(0, 60)}. help: pass history.history as fit returns it.`);
    }
  }
  const names = Object.keys(record);
  const quantities = [...new Set(names.map((n) => (n.startsWith('val_') ? n.slice(4) : n)))].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : names.indexOf(a) - names.indexOf(b)));
  const out: Point[] = [];
  for (const name of names) {
    const values = record[name] as number[];
    const aligned = Array.isArray(epochs) && epochs.length === values.length;
    values.forEach((value, i) => {
      if (!Number.isFinite(value)) return;
      out.push({
        epoch: aligned ? (epochs as number[])[i] + 1 : i + 1,
        quantity: name.startsWith('val_') ? name.slice(4) : name,
        split: name.startsWith('val_') ? 'validation' : 'training',
        value,
      });
    });
  }
  return { points: out, quantities };
}

/** The Vega-Lite specification of the curves. */
export function historySpec(history: HistoryLike, args: PlotHistoryArgs = {}): Record<string, unknown> {
  checkOptions('plotHistory', args, KEYS);
  for (const key of ['width', 'height', 'columns', 'scale'] as const) {
    const v = args[key];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
      throw new ValueError(`plotHistory: \`${key}\` must be a positive number, got ${JSON.stringify(v)}. help: e.g. {${key}: 2}.`);
    }
  }
  const { points: values, quantities } = points(history, 'plotHistory');
  const xs = values.map((p) => p.epoch);
  const [first, last] = [Math.min(...xs), Math.max(...xs)];
  // Whole epochs only: every one when they are few, else whole steps chosen by vega.
  const ticks = last - first <= 20 ? { values: Array.from({ length: last - first + 1 }, (_, i) => first + i) } : { tickMinStep: 1 };
  const spec: Record<string, unknown> = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values },
    facet: { field: 'quantity', type: 'nominal', sort: quantities, title: null, header: { labelFontSize: 14, labelFontWeight: 'bold' } },
    columns: args.columns ?? Math.min(2, quantities.length),
    spec: {
      width: args.width ?? 320,
      height: args.height ?? 220,
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { ...ticks, format: 'd' }, scale: { nice: false } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: null, scale: { domain: ['training', 'validation'], range: ['#1f77b4', '#ff7f0e'] }, legend: { orient: 'right' } },
      },
    },
    resolve: { scale: { y: 'independent' }, axis: { y: 'independent' } },
    background: 'white',
    config: { font: FONT },
  };
  if (args.title !== undefined) spec.title = { text: args.title, fontSize: 16, offset: 14 };
  return spec;
}

/** Renders the curves to SVG text. */
export async function historySvg(history: HistoryLike, args: PlotHistoryArgs = {}): Promise<string> {
  const spec = historySpec(history, args);
  // import(): the browser build keeps Vega (1 MB) in chunks fetched on first use.
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Draws loss and metrics per epoch, training against validation, to `toFile` ('.svg' or '.png',
 * replaced atomically). Returns the path written. With `toFile` null (the default in a page, which
 * has no files) it writes nothing and returns the SVG text; PNG and files are Node-only.
 */
export async function plotHistory(history: HistoryLike, toFile: string | null = defaultFile('curves.svg'), args: PlotHistoryArgs = {}): Promise<string> {
  if (toFile === null) return historySvg(history, args);
  const ext = extension(toFile, 'plotHistory');
  if (!['.svg', '.png'].includes(ext)) {
    throw new ValueError(`plotHistory: cannot write '${toFile}': the extension must be .svg or .png. help: e.g. plotHistory(history, 'curves.svg').`);
  }
  const svg = await historySvg(history, args);
  writeFileAtomic(toFile, ext === '.svg' ? svg : svgToPng(svg, args.scale ?? 2, 'plotHistory'));
  return toFile;
}
