/**
 * model.summary(): the Keras table of layers, output shapes and parameter counts.
 */
import type { Layer } from '../engine/layer';
import type { Node } from '../engine/node';
import { formatShape } from '../engine/symbolic_tensor';
import { builtOutputShape } from './subclass';

/** What summary needs from a model. */
export interface Summarizable {
  readonly name: string;
  readonly className: string;
  readonly isDefined: boolean;
  readonly layers: Layer[];
  readonly inputs: Array<{ node: Node }>;
  /** The layer calls of the graph in order, input layers excluded. */
  readonly graphNodes: Node[];
  readonly trainableWeights: Array<{ size: number }>;
  readonly nonTrainableWeights: Array<{ size: number }>;
}

const WIDTH = 65;

export function summarize(model: Summarizable): string {
  const nodes = model.isDefined ? graphNodes(model) : [];
  const chain = isChain(nodes);
  const columns = chain ? [34, 25, 10] : [30, 22, 10, 12];
  const width = chain ? WIDTH + 4 : WIDTH + 16;
  const header = chain ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), row(header, columns), '='.repeat(width)];
  if (model.isDefined) {
    nodes.forEach((node) => {
      const shapes = node.outputs.map((t) => formatShape(t.shape));
      const shape = shapes.length === 1 ? shapes[0] : `[${shapes.join(', ')}]`;
      const cells = [`${node.layer.name} (${node.layer.className})`, shape, String(node.layer.countParams())];
      if (!chain) cells.push(node.inputs.map((t) => t.node.layer.name).join(', '));
      lines.push(row(cells, columns));
    });
  } else {
    // No graph (a Sequential before its input shape, a subclassed model): its layers, each with the
    // output shape for the input it was built for, '?' where unknown, as Keras prints them.
    model.layers.forEach((layer) => lines.push(row([`${layer.name} (${layer.className})`, builtOutputShape(layer), layer.built ? String(layer.countParams()) : '0 (unbuilt)'], columns)));
  }
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const nonTrainable = model.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
  lines.push('='.repeat(width));
  lines.push(`Total params: ${fmt(trainable + nonTrainable)}`);
  lines.push(`Trainable params: ${fmt(trainable)}`);
  lines.push(`Non-trainable params: ${fmt(nonTrainable)}`);
  lines.push('_'.repeat(width));
  return lines.join('\n');
}

/** Each layer call once: input layers (but for a Sequential's, as Keras), then the graph in order (a shared layer appears per call). */
function graphNodes(model: Summarizable): Node[] {
  const inputs = model.className === 'Sequential' ? [] : [...new Set(model.inputs.map((t) => t.node))];
  return [...inputs, ...model.graphNodes];
}

/** A plain chain (each layer feeds only the next) gets the three-column table. */
function isChain(nodes: Node[]): boolean {
  return nodes.every((n, i) => i === 0 || (n.inputs.length === 1 && n.inputs[0].node === nodes[i - 1]));
}

function row(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => {
      const cell = ` ${c}`;
      if (i === cells.length - 1) return cell;
      return cell.length < widths[i] ? cell.padEnd(widths[i]) : `${cell} `;
    })
    .join('');
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
