/**
 * plotModel and modelToDot, as Keras's plot_model and model_to_dot: a box per layer (an HTML-like
 * table: name and class in a black title row, then input and output shapes, dtype, activation,
 * trainable) and an arrow
 * per connection, laid out by Graphviz compiled to WebAssembly (@viz-js/viz), so no system Graphviz
 * is needed. `.dot` writes the DOT text, `.svg` the drawing, `.png` the drawing rasterized at `dpi`;
 * no file (null, the default in a page) returns the SVG text, with no Node-only module used.
 */
import { ValueError } from '../engine/errors';
import type { Layer } from '../engine/layer';
import type { Node } from '../engine/node';
import { checkOptions, optionKeys } from '../engine/options';
import { Shape } from '../engine/symbolic_tensor';
import { GraphModel, graphNodes, isGraphModel, isInputNode, nestedModel } from '../summary/graph_model';
import { defaultFile, extension } from './plot_file';
import { svgToPng } from './svg_to_png';
import { writeFileAtomic } from './write_file';

export interface PlotModelArgs {
  /** Show each layer's input and output shapes. Keras: `show_shapes` @default false */
  showShapes?: boolean;
  /** Show each layer's output dtype. Keras: `show_dtype` @default false */
  showDtype?: boolean;
  /**
   * Show layer names next to their classes. Keras: `show_layer_names` @default false for plotModel, true for
   * modelToDot, as in Keras
   */
  showLayerNames?: boolean;
  /** 'TB' top to bottom, 'LR' left to right (or 'BT', 'RL'). Keras: `rankdir` @default 'TB' */
  rankdir?: 'TB' | 'LR' | 'BT' | 'RL';
  /**
   * Draw nested models' layers inside a dashed box instead of one box for the model. Keras: `expand_nested`
   * @default false
   */
  expandNested?: boolean;
  /** Resolution of a PNG (and the DOT's dpi attribute). Keras: `dpi` @default 200 */
  dpi?: number;
  /** Show the activation of layers that have one. Keras: `show_layer_activations` @default false */
  showLayerActivations?: boolean;
  /** Mark layers with weights as trainable or not. Keras: `show_trainable` @default false */
  showTrainable?: boolean;
  /** Graphviz edge style. Keras: none (a Graphviz attribute Keras does not expose) @default 'ortho' */
  splines?: 'ortho' | 'curved' | 'polyline' | 'spline' | 'line';
}
const KEYS = optionKeys<PlotModelArgs>()('showShapes', 'showDtype', 'showLayerNames', 'rankdir', 'expandNested', 'dpi', 'showLayerActivations', 'showTrainable', 'splines');

type Options = Required<PlotModelArgs>;

/**
 * Graphviz lays text out with DejaVu Sans's widths (it knows them; they are wider than Helvetica's,
 * so the boxes fit any common sans-serif font); the SVG then names fallbacks for viewers without it.
 */
const FONT = 'DejaVu Sans';
const SVG_FONTS = 'DejaVu Sans,Helvetica,Arial,sans-serif';

function resolve(where: string, args: PlotModelArgs, showLayerNames: boolean): Options {
  checkOptions(where, args, KEYS);
  const o: Options = {
    showShapes: args.showShapes ?? false,
    showDtype: args.showDtype ?? false,
    showLayerNames,
    rankdir: args.rankdir ?? 'TB',
    expandNested: args.expandNested ?? false,
    dpi: args.dpi ?? 200,
    showLayerActivations: args.showLayerActivations ?? false,
    showTrainable: args.showTrainable ?? false,
    splines: args.splines ?? 'ortho',
  };
  if (!['TB', 'LR', 'BT', 'RL'].includes(o.rankdir)) throw new ValueError(`${where}: \`rankdir\` must be 'TB', 'LR', 'BT' or 'RL', got ${JSON.stringify(o.rankdir)}. help: e.g. {rankdir: 'LR'}.`);
  if (!['ortho', 'curved', 'polyline', 'spline', 'line'].includes(o.splines)) {
    throw new ValueError(`${where}: \`splines\` must be 'ortho', 'curved', 'polyline', 'spline' or 'line', got ${JSON.stringify(o.splines)}.`);
  }
  if (!(typeof o.dpi === 'number' && o.dpi > 0 && o.dpi <= 1200)) throw new ValueError(`${where}: \`dpi\` must be a number in (0, 1200], got ${JSON.stringify(o.dpi)}. help: e.g. {dpi: 96}.`);
  return o;
}

function checkModel(model: unknown, where: string): GraphModel {
  if (!isGraphModel(model)) {
    throw new ValueError(`${where}: the model has no graph yet (a Sequential without an input shape). help: give the first layer an inputShape, or fit it once.`);
  }
  return model;
}

/** The DOT text of the model's graph (Graphviz's language), as Keras's model_to_dot. */
export function modelToDot(model: GraphModel, args: PlotModelArgs = {}): string {
  const o = resolve('modelToDot', args, args.showLayerNames ?? true);
  checkModel(model, 'modelToDot');
  const lines = [
    'digraph G {',
    `  graph [rankdir=${o.rankdir}, concentrate=true, dpi=${o.dpi}, splines=${o.splines}];`,
    `  node [shape=plaintext, fontname="${FONT}", margin=0];`,
    `  graph [fontname="${FONT}"];`,
    '  edge [penwidth=2];',
  ];
  const ids = new Map<Layer, string>();
  emit(model, o, lines, ids, '  ');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Every call's box, then every connection; nested models expanded into clusters if asked. */
function emit(model: GraphModel, o: Options, lines: string[], ids: Map<Layer, string>, indent: string): void {
  const nodes = visibleNodes(model);
  for (const node of nodes) {
    const inner = o.expandNested ? nestedModel(node.layer) : null;
    if (inner !== null) {
      lines.push(`${indent}subgraph cluster_${idOf(node.layer, ids)} {`, `${indent}  graph [style=dashed, label=${quote(node.layer.name)}, labeljust=l];`);
      emit(inner, o, lines, ids, `${indent}  `);
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}${idOf(node.layer, ids)} [label=<${label(node, o)}>];`);
    }
  }
  const seen = new Set<string>();
  for (const node of nodes) {
    node.inputs.forEach((t, i) => {
      if (isInputNode(t.node) && model.className === 'Sequential') return;
      const from = o.expandNested ? sourceLayer(t.node.layer, t.outputIndex) : t.node.layer;
      const to = o.expandNested ? destinationLayer(node.layer, i) : node.layer;
      const edge = `${indent}${idOf(from, ids)} -> ${idOf(to, ids)};`;
      if (!seen.has(edge)) lines.push(edge);
      seen.add(edge);
    });
  }
}

/** The layer calls drawn: a Sequential's input layer is left out, as Keras does. */
function visibleNodes(model: GraphModel): Node[] {
  const nodes = graphNodes(model);
  const unique = nodes.filter((n, i) => nodes.findIndex((m) => m.layer === n.layer) === i);
  return model.className === 'Sequential' ? unique.filter((n) => !isInputNode(n)) : unique;
}

/** The layer inside nested models that produces output `index` of `layer`. */
function sourceLayer(layer: Layer, index: number): Layer {
  let inner = nestedModel(layer);
  while (inner !== null) {
    const t = inner.outputs[index];
    layer = t.node.layer;
    index = t.outputIndex;
    inner = nestedModel(layer);
  }
  return layer;
}

/** The layer inside nested models that receives input `index` of `layer`. */
function destinationLayer(layer: Layer, index: number): Layer {
  let inner = nestedModel(layer);
  while (inner !== null) {
    const t = inner.inputs[index];
    if (inner.className === 'Sequential') {
      const first = visibleNodes(inner)[0];
      layer = first.layer;
      index = 0;
    } else layer = t.node.layer;
    inner = nestedModel(layer);
  }
  return layer;
}

function idOf(layer: Layer, ids: Map<Layer, string>): string {
  let id = ids.get(layer);
  if (id === undefined) {
    id = `n${ids.size}`;
    ids.set(layer, id);
  }
  return id;
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatShapes(shapes: Shape[]): string {
  const one = (s: Shape): string => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  return shapes.length === 1 ? one(shapes[0]) : `[${shapes.map(one).join(', ')}]`;
}

/** Keras's box: a black title row, then a white row of shape, dtype and trainable cells. */
function label(node: Node, o: Options): string {
  const layer = node.layer;
  const cells: string[] = [];
  // One text span per cell: Graphviz places each span by Helvetica's widths, and a viewer whose
  // sans-serif font is wider would draw a second span over the first.
  const cell = (text: string, value: string): string => `<td bgcolor="white"><font point-size="14">${text}${html(value)}</font></td>`;
  if (o.showShapes) {
    if (!isInputNode(node)) cells.push(cell('Input shape: ', formatShapes(node.inputs.map((t) => t.shape))));
    cells.push(cell('Output shape: ', formatShapes(node.outputs.map((t) => t.shape))));
  }
  if (o.showDtype) cells.push(cell('Output dtype: ', node.outputs.map((t) => t.dtype).join(', ')));
  if (o.showTrainable && layer.weights.length > 0) {
    cells.push(
      layer.trainable
        ? '<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td>'
        : '<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b></font></td>',
    );
  }
  const span = Math.max(1, cells.length);
  const title = o.showLayerNames ? `<b>${html(`${layer.name} (${layer.className})`)}</b>` : `<b>${html(layer.className)}</b>`;
  let table = `<table border="0" cellborder="1" bgcolor="black" cellpadding="10"><tr><td colspan="${span}" bgcolor="black"><font point-size="16" color="white">${title}</font></td></tr>`;
  const activation = (layer as unknown as { activation?: unknown }).activation;
  if (o.showLayerActivations && typeof activation === 'string') {
    table += `<tr><td bgcolor="white" colspan="${span}"><font point-size="14">Activation: ${html(activation)}</font></td></tr>`;
  }
  if (cells.length > 0) table += `<tr>${cells.join('')}</tr>`;
  return `${table}</table>`;
}

type Viz = Awaited<ReturnType<typeof import('@viz-js/viz').instance>>;
let viz: Promise<Viz> | null = null;

/** Lays out DOT text with Graphviz (WebAssembly) and returns the SVG. */
export async function renderDot(dot: string, where = 'plotModel'): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => m.instance()); // import(): the browser build keeps Graphviz (1.5 MB) in a chunk fetched on first use
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    throw new ValueError(`${where}: Graphviz could not lay out the graph: ${result.errors.map((e) => e.message).join('; ')}.`);
  }
  return result.output;
}

/**
 * Draws the model to `toFile`: '.svg', '.png' or '.dot' (the extension decides), as Keras's
 * plot_model. Returns the path written. The file is replaced atomically. With `toFile` null (the
 * default in a page, which has no files) it writes nothing and returns the SVG text, e.g. for
 * `element.innerHTML`; PNG and files are Node-only.
 */
export async function plotModel(model: GraphModel, toFile: string | null = defaultFile('model.png'), args: PlotModelArgs = {}): Promise<string> {
  const o = resolve('plotModel', args, args.showLayerNames ?? false);
  checkModel(model, 'plotModel');
  if (toFile === null) return modelSvg(model, o);
  const ext = extension(toFile, 'plotModel');
  if (!['.svg', '.png', '.dot'].includes(ext)) {
    throw new ValueError(`plotModel: cannot write '${toFile}': the extension must be .svg, .png or .dot. help: e.g. plotModel(model, 'model.svg').`);
  }
  const dot = modelToDot(model, o);
  if (ext === '.dot') {
    writeFileAtomic(toFile, dot);
    return toFile;
  }
  const svg = await modelSvg(model, o);
  writeFileAtomic(toFile, ext === '.svg' ? svg : svgToPng(svg, o.dpi / 96, 'plotModel'));
  return toFile;
}

/** The drawing as SVG text (Graphviz's points, the fonts named in full). */
async function modelSvg(model: GraphModel, o: PlotModelArgs): Promise<string> {
  const dot = modelToDot(model, o);
  return (await renderDot(dot.replace(/, dpi=[\d.]+/, ''))).replace(new RegExp(`font-family="${FONT}"`, 'g'), `font-family="${SVG_FONTS}"`);
}
