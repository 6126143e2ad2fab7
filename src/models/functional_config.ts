/**
 * A functional graph as config and back, in Keras's structure (camelCase keys here; saving/
 * turns them into Keras's snake_case JSON): every layer with the calls that feed it
 * (`inboundNodes`: per call, the [layer, call, output] that each input comes from), and the
 * model's `inputLayers` and `outputLayers` as [layer, call, output] references. functionalFromConfig
 * is Model.fromConfig for a functional model: the graph rebuilt, its layers made through the registry.
 */
import { ValueError } from '../engine/errors';
import { InputLayer } from '../engine/input_layer';
import type { Layer, LayerConfig } from '../engine/layer';
import type { Node } from '../engine/node';
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { savingApi } from './saving_link';

/** [layer name, call index within the model, output index]. */
export type TensorRef = [string, number, number];
/** One call of a layer: where each of its inputs comes from (plus call arguments, unused here). */
export type NodeSpec = Array<[string, number, number, Record<string, unknown>]>;

export interface LayerSpec {
  className: string;
  name: string;
  config: LayerConfig;
  inboundNodes: NodeSpec[];
}

export interface GraphConfig {
  layers: LayerSpec[];
  inputLayers: TensorRef[];
  outputLayers: TensorRef[];
}

/** What the config needs from a model: its layers, its inputs and outputs, and its layer calls. */
export interface GraphSource {
  readonly layers: Layer[];
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  readonly nodes: Node[];
}

/** The graph's config. A layer's calls are numbered among its calls that belong to this graph. */
export function graphConfig(graph: GraphSource): GraphConfig {
  const inGraph = new Set<Node>([...graph.inputs.map((t) => t.node), ...graph.nodes]);
  const callIndex = new Map<Node, number>();
  const callsOf = (layer: Layer): Node[] => layer.inboundNodes.filter((n) => inGraph.has(n));
  for (const layer of graph.layers) callsOf(layer).forEach((n, i) => callIndex.set(n, i));
  const ref = (t: SymbolicTensor): TensorRef => [t.node.layer.name, callIndex.get(t.node) as number, t.outputIndex];
  const layers = graph.layers.map((layer) => ({
    className: layer.className,
    name: layer.name,
    config: layer.getConfig(),
    inboundNodes: callsOf(layer)
      .filter((n) => !(n.layer instanceof InputLayer))
      .map((n) => n.inputs.map((t) => [...ref(t), {}] as [string, number, number, Record<string, unknown>])),
  }));
  return { layers, inputLayers: graph.inputs.map(ref), outputLayers: graph.outputs.map(ref) };
}

/**
 * Rebuilds the graph from its config: makes each layer with `makeLayer`, then calls the layers on
 * symbolic tensors in an order where every call's inputs exist (Keras's algorithm).
 */
export function graphFromConfig(
  config: GraphConfig,
  makeLayer: (spec: LayerSpec) => Layer,
  where: string,
): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
  if (!Array.isArray(config.layers) || !Array.isArray(config.inputLayers) || !Array.isArray(config.outputLayers)) {
    throw new ValueError(`${where}: a functional model's config needs \`layers\`, \`inputLayers\` and \`outputLayers\` lists. help: pass the output of model.getConfig().`);
  }
  const layers = new Map<string, { layer: Layer; calls: NodeSpec[]; done: number }>();
  for (const spec of config.layers) {
    if (layers.has(spec.name)) throw new ValueError(`${where}: two layers are named '${spec.name}'. help: layer names in a model must be unique.`);
    const layer = makeLayer(spec);
    layers.set(spec.name, { layer, calls: Array.isArray(spec.inboundNodes) ? spec.inboundNodes : [], done: 0 });
  }
  const produced = new Map<string, SymbolicTensor[]>();
  for (const [name, entry] of layers) {
    if (entry.layer instanceof InputLayer) produced.set(`${name}:0`, [entry.layer.output]);
  }
  const lookup = (ref: unknown[]): SymbolicTensor | undefined => {
    const [name, call, index] = ref as [string, number, number];
    return produced.get(`${name}:${call}`)?.[index];
  };
  let progress = true;
  while (progress) {
    progress = false;
    for (const [name, entry] of layers) {
      while (entry.done < entry.calls.length) {
        const call = entry.calls[entry.done];
        if (!Array.isArray(call) || call.some((r) => !Array.isArray(r))) {
          throw new ValueError(`${where}: layer '${name}' has a malformed inbound node ${JSON.stringify(call)?.slice(0, 80)}.`);
        }
        const inputs = call.map(lookup);
        if (inputs.some((t) => t === undefined)) break;
        const outs = entry.layer.applyMulti(inputs.length === 1 ? (inputs[0] as SymbolicTensor) : (inputs as SymbolicTensor[]));
        produced.set(`${name}:${entry.done}`, outs);
        entry.done++;
        progress = true;
      }
    }
  }
  const stuck = [...layers].filter(([, e]) => e.done < e.calls.length).map(([n]) => n);
  if (stuck.length > 0) {
    throw new ValueError(`${where}: the inputs of layers ${stuck.join(', ')} are never produced (a missing layer or a cycle). help: the config is incomplete or corrupt.`);
  }
  const resolve = (refs: TensorRef[], what: string): SymbolicTensor[] =>
    refs.map((r) => {
      const t = Array.isArray(r) ? lookup(r) : undefined;
      if (t === undefined) throw new ValueError(`${where}: the ${what} ${JSON.stringify(r)} is not a tensor of the graph. help: the config is corrupt.`);
      return t;
    });
  return { inputs: resolve(config.inputLayers, 'input'), outputs: resolve(config.outputLayers, 'output') };
}

/** A functional model of class `cls` from its config, with fresh weights. Custom layers must be registered. */
export function functionalFromConfig<T extends Layer>(cls: new (options: never) => T, config: LayerConfig): T {
  const where = `Model.fromConfig '${String(config?.name ?? '')}'`;
  const { inputs, outputs } = graphFromConfig(config as unknown as GraphConfig, (spec: LayerSpec) => savingApi().layerFromConfig(spec, where), where);
  const model = new cls({ inputs, outputs, name: config.name } as never);
  if (config.trainable === false) model.trainable = false;
  return model;
}
