/**
 * A model as a TensorFlow GraphDef for TensorBoard's Graphs tab: a Placeholder per input, and per
 * layer call a name scope (the layer's name) holding its weights (VariableV2) and its ops. Dense and
 * the convolutions show their ops as TensorFlow does (MatMul or Conv2D, BiasAdd, the activation);
 * other layers are one op named after their class. Every node carries its output shapes in the
 * `_output_shapes` attribute, which TensorBoard shows on the edges. Nested models become nested scopes.
 */
import type { Layer } from '../engine/layer';
import type { Node } from '../engine/node';
import type { Shape, SymbolicTensor } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import { GraphModel, graphNodes, isInputNode, nestedModel } from './graph_model';

export interface NodeDef {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, Record<string, unknown>>;
}

/** The main op of the layers whose ops are spelled out (the kernel's op; then BiasAdd and the activation). */
const KERNEL_OPS: Record<string, string> = {
  Dense: 'MatMul',
  Conv1D: 'Conv1D',
  Conv2D: 'Conv2D',
  Conv2DTranspose: 'Conv2DBackpropInput',
  DepthwiseConv2D: 'DepthwiseConv2dNative',
};

const ACTIVATION_OPS: Record<string, string> = {
  sigmoid: 'Sigmoid', relu: 'Relu', softmax: 'Softmax', log_softmax: 'LogSoftmax', tanh: 'Tanh', elu: 'Elu', selu: 'Selu',
  softplus: 'Softplus', softsign: 'Softsign', relu6: 'Relu6', leaky_relu: 'LeakyRelu', gelu: 'Gelu', swish: 'Swish',
  silu: 'Swish', hard_sigmoid: 'HardSigmoid', exponential: 'Exp',
};

const DTYPES: Record<string, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL', string: 'DT_STRING', complex64: 'DT_COMPLEX64' };

function shapeProto(shape: Shape | number[]): Record<string, unknown> {
  return { dim: shape.map((d) => ({ size: d === null ? -1 : d })) };
}

function attrs(shapes: Array<Shape | number[]>, dtype: string, extra: Record<string, Record<string, unknown>> = {}): NodeDef['attr'] {
  return { ...extra, T: { type: DTYPES[dtype] ?? 'DT_FLOAT' }, _output_shapes: { list: { shape: shapes.map(shapeProto) } } };
}

/** Builds the GraphDef of a model (a plain object in the schema's field names). */
export function modelGraphDef(model: GraphModel): { node: NodeDef[]; versions: { producer: number } } {
  const nodes: NodeDef[] = [];
  emitGraph(model, '', new Map(), nodes);
  return { node: nodes, versions: { producer: 1 } };
}

/**
 * Adds the nodes of `model` under `prefix`; `bound` maps tensors that already have a node (a
 * nested model's inputs, fed by the outer graph) to that node's output.
 */
function emitGraph(model: GraphModel, prefix: string, bound: Map<number, string>, nodes: NodeDef[]): Map<number, string> {
  const refs = new Map(bound);
  const calls = new Map<Layer, number>();
  for (const node of graphNodes(model)) {
    if (isInputNode(node)) {
      const t = node.outputs[0];
      if (refs.has(t.id)) continue;
      const name = prefix + node.layer.name;
      nodes.push({ name, op: 'Placeholder', input: [], attr: attrs([t.shape], t.dtype, { dtype: { type: DTYPES[t.dtype] ?? 'DT_FLOAT' }, shape: { shape: shapeProto(t.shape) } }) });
      refs.set(t.id, name);
      continue;
    }
    const k = calls.get(node.layer) ?? 0;
    calls.set(node.layer, k + 1);
    const scope = prefix + (k === 0 ? node.layer.name : `${node.layer.name}/call_${k}`);
    const inputs = node.inputs.map((t) => refs.get(t.id) as string);
    const nested = nestedModel(node.layer);
    if (nested !== null) {
      const inner = emitGraph(nested, `${prefix}${node.layer.name}/`, new Map(nested.inputs.map((t, i) => [t.id, inputs[i]])), nodes);
      node.outputs.forEach((t, i) => refs.set(t.id, inner.get(nested.outputs[i].id) as string));
      continue;
    }
    if (k === 0) node.layer.weights.forEach((w) => nodes.push(weightNode(w, prefix)));
    const outputs = emitLayerOps(node, scope, inputs, prefix, nodes);
    node.outputs.forEach((t, i) => refs.set(t.id, outputs[i]));
  }
  return refs;
}

function weightNode(w: Weight, prefix: string): NodeDef {
  return { name: prefix + w.name, op: 'VariableV2', input: [], attr: attrs([w.shape], w.dtype, { dtype: { type: DTYPES[w.dtype] ?? 'DT_FLOAT' }, shape: { shape: shapeProto(w.shape) } }) };
}

/** The ops of one layer call; returns the reference of each output. */
function emitLayerOps(node: Node, scope: string, inputs: string[], prefix: string, nodes: NodeDef[]): string[] {
  const layer = node.layer;
  const shapes = node.outputs.map((t: SymbolicTensor) => t.shape);
  const dtype = layer.dtype;
  const weights = layer.weights;
  const mainOp = KERNEL_OPS[layer.className];
  const activation = (layer as unknown as { activation?: unknown }).activation;
  if (mainOp !== undefined && inputs.length === 1) {
    const bias = weights.find((w) => w.name.endsWith('/bias'));
    let last = `${scope}/${mainOp}`;
    const kernels = weights.filter((w) => w !== bias).map((w) => prefix + w.name);
    nodes.push({ name: last, op: mainOp, input: [inputs[0], ...kernels], attr: attrs(shapes, dtype) });
    if (bias !== undefined) {
      nodes.push({ name: `${scope}/BiasAdd`, op: 'BiasAdd', input: [last, prefix + bias.name], attr: attrs(shapes, dtype) });
      last = `${scope}/BiasAdd`;
    }
    if (typeof activation === 'string' && activation !== 'linear') last = pushActivation(scope, activation, last, shapes, dtype, nodes);
    return [last];
  }
  if (layer.className === 'Activation' && typeof activation === 'string' && inputs.length === 1) {
    return [pushActivation(scope, activation, inputs[0], shapes, dtype, nodes)];
  }
  const name = `${scope}/${layer.className}`;
  const keras = { keras_class: { s: Buffer.from(layer.className) } };
  nodes.push({ name, op: layer.className, input: [...inputs, ...weights.map((w) => prefix + w.name)], attr: attrs(shapes, dtype, keras) });
  return shapes.map((_s, i) => (i === 0 ? name : `${name}:${i}`));
}

function pushActivation(scope: string, activation: string, input: string, shapes: Shape[], dtype: string, nodes: NodeDef[]): string {
  const op = ACTIVATION_OPS[activation] ?? activation.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
  const name = `${scope}/${op}`;
  nodes.push({ name, op, input: [input], attr: attrs(shapes, dtype) });
  return name;
}
