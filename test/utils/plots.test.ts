/**
 * plotModel and plotHistory: the SVGs render in headless Debian Chromium to PNGs that are not blank,
 * the model plot names every layer, the PNGs written directly decode with the expected size, and
 * the DOT text has a box per layer and an arrow per connection.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import * as k from '../../src';
import { CHROMIUM_TOOLS, testWithTools } from '../system_tools';
import { inked, screenshot, svgTexts } from './chromium';

const chromiumTest = testWithTools(CHROMIUM_TOOLS);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-plots-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The course's MLP. */
function mlp(): k.Model {
  const inputs = k.Input({ shape: [784], name: 'pixels' });
  let x = inputs;
  ['h64', 'h32', 'h16'].forEach((name, i) => (x = new k.layers.Dense({ units: [64, 32, 16][i], activation: 'sigmoid', name }).apply(x)));
  const outputs = new k.layers.Dense({ units: 10, activation: 'softmax', name: 'digits' }).apply(x);
  return new k.Model({ inputs, outputs, name: 'mnist_mlp' });
}
const LAYERS = ['pixels (InputLayer)', 'h64 (Dense)', 'h32 (Dense)', 'h16 (Dense)', 'digits (Dense)'];

/** The SVG's size in CSS pixels (Graphviz writes points, vega pixels). */
function svgSize(svg: string): [number, number] {
  const m = /<svg[^>]*\swidth="([\d.]+)(pt|px)?"[^>]*\sheight="([\d.]+)(pt|px)?"/.exec(svg) as RegExpExecArray;
  const unit = m[2] === 'pt' ? 96 / 72 : 1;
  return [Math.ceil(Number(m[1]) * unit), Math.ceil(Number(m[3]) * unit)];
}

chromiumTest('plotModel: the SVG renders in Chromium, is not blank, and names every layer', async () => {
  const file = path.join(tmp, 'model.svg');
  expect(await k.utils.plotModel(mlp(), file, { showShapes: true, showLayerNames: true })).toBe(file);
  const svg = fs.readFileSync(file, 'utf8');
  const texts = svgTexts(svg);
  for (const name of LAYERS) expect(texts).toContain(name);
  expect(texts).toContain('Output shape: (None, 784)');
  expect(texts).toContain('Input shape: (None, 64)');
  const [w, h] = svgSize(svg);
  const png = path.join(tmp, 'model_chromium.png');
  screenshot(file, png, w, h);
  const ink = inked(png);
  expect([ink.width, ink.height]).toEqual([w, h]);
  expect(ink.share).toBeGreaterThan(0.1); // black title rows, borders, text
  expect(ink.share).toBeLessThan(0.8);
});

chromiumTest('plotHistory: the curves render in Chromium, with a panel per quantity, both splits and the axes', async () => {
  const history = { history: { loss: [2.05, 1.47, 1.05], accuracy: [0.39, 0.67, 0.78], val_loss: [1.73, 1.23, 0.91], val_accuracy: [0.6, 0.72, 0.79] }, epoch: [0, 1, 2] };
  const file = path.join(tmp, 'curves.svg');
  await k.utils.plotHistory(history, file, { title: 'run 1' });
  const svg = fs.readFileSync(file, 'utf8');
  const texts = svgTexts(svg);
  for (const t of ['run 1', 'loss', 'accuracy', 'training', 'validation', 'epoch', '1', '2', '3']) expect(texts).toContain(t);
  const [w, h] = svgSize(svg);
  const png = path.join(tmp, 'curves_chromium.png');
  screenshot(file, png, w, h);
  const ink = inked(png);
  expect(ink.share).toBeGreaterThan(0.02);
  expect(ink.share).toBeLessThan(0.5);
  expect(ink.colours).toBeGreaterThan(10); // two line colours, grey grid, black text, antialiasing
});

test('plotHistory: the chart holds every value of the History at its epoch (1-based)', () => {
  const history = { history: { loss: [0.9, 0.5], val_loss: [1.0, 0.7], accuracy: [0.5, 0.8] }, epoch: [3, 4] };
  const spec = k.utils.historySpec(history) as { data: { values: unknown[] }; facet: { sort: string[] } };
  expect(spec.facet.sort).toEqual(['loss', 'accuracy']);
  expect(spec.data.values).toEqual([
    { epoch: 4, quantity: 'loss', split: 'training', value: 0.9 },
    { epoch: 5, quantity: 'loss', split: 'training', value: 0.5 },
    { epoch: 4, quantity: 'loss', split: 'validation', value: 1.0 },
    { epoch: 5, quantity: 'loss', split: 'validation', value: 0.7 },
    { epoch: 4, quantity: 'accuracy', split: 'training', value: 0.5 },
    { epoch: 5, quantity: 'accuracy', split: 'training', value: 0.8 },
  ]);
});

test('PNGs are written without a browser: the model at dpi/72 of its SVG size, the curves at 2x', async () => {
  const model = mlp();
  const svgFile = path.join(tmp, 'm.svg');
  const pngFile = path.join(tmp, 'm.png');
  await k.utils.plotModel(model, svgFile);
  await k.utils.plotModel(model, pngFile, { dpi: 144 });
  const [w, h] = svgSize(fs.readFileSync(svgFile, 'utf8')).map((d) => (d * 72) / 96);
  const png = PNG.sync.read(fs.readFileSync(pngFile));
  expect(Math.abs(png.width - w * 2)).toBeLessThanOrEqual(3);
  expect(Math.abs(png.height - h * 2)).toBeLessThanOrEqual(3);
  expect(inked(pngFile).share).toBeGreaterThan(0.1);
  const curves = path.join(tmp, 'c.png');
  await k.utils.plotHistory({ loss: [1, 0.5, 0.25] }, curves);
  expect(inked(curves).share).toBeGreaterThan(0.02);
});

test('modelToDot: a box per layer, an arrow per connection; Keras defaults and options', async () => {
  const dot = k.utils.modelToDot(mlp());
  expect(dot).toMatch(/^digraph G \{/);
  for (const name of LAYERS) expect(dot).toContain(`<b>${name}</b>`);
  expect(dot.match(/ -> /g)).toHaveLength(4);
  expect(dot).toContain('rankdir=TB');
  expect(dot).toContain('dpi=200');
  // plotModel's default shows classes only, as Keras's plot_model
  const file = path.join(tmp, 'classes.dot');
  await k.utils.plotModel(mlp(), file, { rankdir: 'LR', dpi: 96 });
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('<b>Dense</b>');
  expect(text).not.toContain('h64');
  expect(text).toContain('rankdir=LR');
  expect(text).toContain('dpi=96');
});

test('modelToDot: branches, a nested model expanded into a cluster, a Sequential without its input box', () => {
  const inner = new k.Sequential([new k.layers.Dense({ units: 4, inputShape: [8], name: 'in_a' }), new k.layers.Dense({ units: 4, name: 'in_b' })], );
  const x = k.Input({ shape: [8], name: 'x' });
  const a = inner.apply(x);
  const b = new k.layers.Dense({ units: 4, name: 'side' }).apply(x);
  const model = new k.Model({ inputs: x, outputs: new k.layers.Add({ name: 'sum' }).apply([a, b]) });
  const edges = (dot: string): string[] => {
    const names = new Map([...dot.matchAll(/(n\d+) \[label=<.*?<b>(\w+) \(/g)].map((m) => [m[1], m[2]]));
    return [...dot.matchAll(/(n\d+) -> (n\d+);/g)].map((m) => `${names.get(m[1])}->${names.get(m[2])}`).sort();
  };
  const flat = k.utils.modelToDot(model);
  expect(flat).not.toContain('subgraph');
  expect(flat).toContain(`<b>${inner.name} (Sequential)</b>`);
  expect(edges(flat)).toEqual([`side->sum`, `x->side`, `x->${inner.name}`, `${inner.name}->sum`].sort());
  const nested = k.utils.modelToDot(model, { expandNested: true });
  expect(nested).toContain(`subgraph cluster_`);
  expect(edges(nested)).toEqual(['in_a->in_b', 'in_b->sum', 'side->sum', 'x->in_a', 'x->side']);
  const seq = k.utils.modelToDot(inner);
  expect(seq).not.toContain('InputLayer');
  expect(edges(seq)).toEqual(['in_a->in_b']);
});

test('bad input is refused with the fix, and an existing file is replaced whole', async () => {
  const model = mlp();
  await expect(k.utils.plotModel(model, path.join(tmp, 'm.pdf'))).rejects.toThrow(/extension must be \.svg, \.png or \.dot.*help:/);
  await expect(k.utils.plotModel(model, path.join(tmp, 'm.svg'), { show_shapes: true } as never)).rejects.toThrow(/unknown option 'show_shapes'. Did you mean 'showShapes'\?/);
  await expect(k.utils.plotModel(model, path.join(tmp, 'm.svg'), { rankdir: 'UP' as never })).rejects.toThrow(/`rankdir` must be 'TB', 'LR', 'BT' or 'RL', got "UP"/);
  await expect(k.utils.plotModel(new k.Sequential([new k.layers.Dense({ units: 2 })]), path.join(tmp, 'u.svg'))).rejects.toThrow(/no graph yet.*help:/);
  await expect(k.utils.plotHistory({}, path.join(tmp, 'h.svg'))).rejects.toThrow(/expected the History that fit returns.*help:/);
  await expect(k.utils.plotHistory({ loss: ['a'] } as never, path.join(tmp, 'h.svg'))).rejects.toThrow(/'loss' must be a list of numbers.*help:/);
  await expect(k.utils.plotHistory({ loss: [1] }, path.join(tmp, 'h.jpg'))).rejects.toThrow(/extension must be \.svg or \.png.*help:/);
  const file = path.join(tmp, 'replace', 'curves.svg');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'old');
  await k.utils.plotHistory({ loss: [1, 0.5] }, file);
  expect(fs.readFileSync(file, 'utf8')).toMatch(/^<svg/);
  expect(fs.readdirSync(path.dirname(file))).toEqual(['curves.svg']);
});

test('with no file (null, the default in a page) plotModel and plotHistory return the SVG text and write nothing', async () => {
  const before = fs.readdirSync(tmp).length;
  const svg = await k.utils.plotModel(mlp(), null, { showLayerNames: true });
  expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg/);
  expect(svgTexts(svg).filter((t) => t.length > 0)).toEqual(LAYERS);
  // The same drawing as the .svg file plotModel writes.
  const file = path.join(tmp, 'same.svg');
  await k.utils.plotModel(mlp(), file, { showLayerNames: true });
  expect(svgTexts(fs.readFileSync(file, 'utf8'))).toEqual(svgTexts(svg));
  const curves = await k.utils.plotHistory({ loss: [1, 0.5, 0.25], val_loss: [1.2, 0.7, 0.5] }, null);
  expect(curves).toMatch(/^<svg/);
  expect(svgTexts(curves)).toEqual(expect.arrayContaining(['loss', 'training', 'validation', 'epoch']));
  expect(fs.readdirSync(tmp).length).toBe(before + 1); // only same.svg
});

test('in a page (no Node process) the default is the SVG text, and a file name is refused with the fix', async () => {
  const environment = require('../../src/utils/environment') as typeof import('../../src/utils/environment');
  const spy = jest.spyOn(environment, 'runsInNode').mockReturnValue(false);
  try {
    expect(svgTexts(await k.utils.plotModel(mlp()))).toContain('Dense'); // Keras's default: classes only
    expect(await k.utils.plotHistory({ loss: [1, 0.5] })).toMatch(/^<svg/);
    await expect(k.utils.plotModel(mlp(), 'model.png')).rejects.toThrow(/cannot write 'model.png': a page has no files.*help: pass null/);
    await expect(k.utils.plotHistory({ loss: [1] }, 'curves.svg')).rejects.toThrow(/plotHistory: cannot write 'curves.svg'.*help:/);
  } finally {
    spy.mockRestore();
  }
});
