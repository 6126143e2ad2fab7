/**
 * Layers and models to Keras's JSON and back. A layer is `{class_name, config}`; a functional
 * model's config lists its layers with their `inbound_nodes` (Keras 2's nested lists, or Keras 3's
 * `{args, kwargs}` with `__keras_tensor__` references) and its `input_layers`/`output_layers`; a
 * Sequential's lists its layers. Reading accepts every form Keras 2.x, tf.keras, Keras 3 and
 * tfjs-layers write, and builds only registered classes.
 */
import { ValueError } from '../engine/errors';
import { InputLayer } from '../engine/input_layer';
import type { Layer, LayerConfig } from '../engine/layer';
import type { Shape, SymbolicTensor } from '../engine/symbolic_tensor';
import { graphConfig, GraphConfig, LayerSpec, NodeSpec, TensorRef } from '../models/functional_config';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { configFromKeras, Dialect, dtypePolicyToKeras, isKerasObject, Json, JsonObject, KerasObject, objectToKeras } from './keras_json';
import { setLayerResolver, setLayerSerializer } from '../engine/rebuild';
import { lookup, registeredNameOf } from './registry';

/** What loading may use besides the registry. */
export interface LoadContext {
  where: string;
  customObjects?: Record<string, unknown>;
}

// ---------------------------------------------------------------- writing

/** A layer (or a model, recursively) as a Keras object. */
export function layerToKeras(layer: Layer, dialect: Dialect): KerasObject {
  if (layer instanceof Model && layer.isSubclassed) return subclassToKeras(layer, dialect);
  if (layer instanceof Sequential) return sequentialToKeras(layer, dialect);
  if (layer instanceof Model) return functionalToKeras(layer, dialect);
  const obj = objectToKeras(layer.className, layer.getConfig(), dialect, layer.constructor);
  if (!(layer instanceof InputLayer)) dtypePolicyToKeras(obj, dialect);
  const shape = dialect === 'keras3' && layer.inboundNodes.length > 0 ? buildShape(layer.inboundNodes[0].inputs) : undefined;
  if (shape !== undefined) obj.build_config = { input_shape: shape };
  return obj;
}

function buildShape(inputs: SymbolicTensor[]): Json | undefined {
  if (inputs.length === 0) return undefined;
  return inputs.length === 1 ? (inputs[0].shape as Json) : (inputs.map((t) => t.shape) as Json);
}

function modelObject(model: Model, className: string, config: JsonObject, dialect: Dialect): KerasObject {
  if (dialect === 'keras2') return { class_name: className, config };
  const obj: KerasObject = { module: 'keras', class_name: className, config, registered_name: className === 'Functional' ? 'Functional' : null };
  if (model.isDefined) obj.build_config = { input_shape: model.inputs.length === 1 ? (model.inputs[0].shape as Json) : (model.inputs.map((t) => t.shape) as Json) };
  return obj;
}

/**
 * Keras's rule for saving a subclassed model: its architecture is its class (registered, so
 * loading finds it) and its config (getConfig: the constructor's options); the weights follow the
 * model built from the saved input shape. Checked before anything is written.
 */
export function checkSubclassSavable(model: Model, where: string): void {
  if (!model.isSubclassed) {
    for (const layer of model.layers) if (layer instanceof Model) checkSubclassSavable(layer, where);
    return;
  }
  const cls = model.constructor as typeof Model;
  const missing = [
    ...(registeredNameOf(cls) === undefined ? ['it is not registered'] : []),
    ...(cls.prototype.getConfig === Model.prototype.getConfig ? ['it has no getConfig()'] : []),
  ];
  if (missing.length > 0) {
    throw new ValueError(
      `${where}: '${model.name}' is a subclassed model (${cls.name}), which is saved as its registered class and its config, and ${missing.join(' and ')}. ` +
        `help: give ${cls.name} getConfig() (returning {...super.getConfig(), ...its constructor's options}) and, if its constructor does not take that object, ` +
        `static fromConfig(config); register it with k.utils.registerKerasSerializable(${cls.name}, {package: 'my_pkg'}) before saving and loading. ` +
        "Or save the weights only: model.saveWeights('model.weights.h5').",
    );
  }
  if (!model.built) {
    throw new ValueError(`${where}: '${model.name}' (${cls.name}) is not built, so it has no weights to save. help: call fit or predict on data, or model.build([null, ...sampleShape]), first.`);
  }
  for (const layer of model.layers) if (layer instanceof Model) checkSubclassSavable(layer, where);
}

/** A subclassed model: its class and getConfig, and the input shape it was built for (Keras's build_config). */
function subclassToKeras(model: Model, dialect: Dialect): KerasObject {
  checkSubclassSavable(model, `${model.name}: saving`);
  const obj = objectToKeras(model.className, model.getConfig(), dialect, model.constructor);
  const shapes = model.inputShapes;
  if (dialect === 'keras3') obj.build_config = { input_shape: (shapes.length === 1 ? shapes[0] : shapes) as Json };
  return obj;
}

function sequentialToKeras(model: Sequential, dialect: Dialect): KerasObject {
  const layers: Json[] = model.layers.map((l) => layerToKeras(l, dialect) as unknown as Json);
  const config: JsonObject = { name: model.name, trainable: model.trainable };
  if (model.isDefined) {
    const input = model.inputs[0].node.layer;
    if (dialect === 'keras3') {
      layers.unshift(objectToKeras('InputLayer', input.getConfig(), dialect) as unknown as Json);
    } else if (layers.length > 0) {
      // Keras 2 (and tfjs-layers) give the input shape to the first layer.
      const first = layers[0] as unknown as KerasObject;
      (first.config as JsonObject).batch_input_shape = model.inputs[0].shape as Json;
    }
  }
  config.layers = layers;
  return modelObject(model, 'Sequential', config, dialect);
}

function functionalToKeras(model: Model, dialect: Dialect): KerasObject {
  const graph: GraphConfig = graphConfig({ layers: model.layers, inputs: model.inputs, outputs: model.outputs, nodes: model.graphNodes });
  const shapes = tensorShapes(model);
  const layers = graph.layers.map((spec, i) => {
    const obj = layerToKeras(model.layers[i], dialect);
    obj.name = spec.name;
    obj.inbound_nodes = spec.inboundNodes.map((node) => nodeToKeras(node, shapes, dialect)) as Json;
    return obj as unknown as Json;
  });
  const refs = (list: TensorRef[]): Json => list as unknown as Json;
  const config: JsonObject = { name: model.name, trainable: model.trainable, layers, input_layers: refs(graph.inputLayers), output_layers: refs(graph.outputLayers) };
  return modelObject(model, 'Functional', config, dialect);
}

/** The shape and dtype of every tensor of the graph, by 'layer:call:output' (calls numbered within the model). */
function tensorShapes(model: Model): Map<string, SymbolicTensor> {
  const inGraph = new Set([...model.inputs.map((t) => t.node), ...model.graphNodes]);
  const out = new Map<string, SymbolicTensor>();
  for (const layer of model.layers) {
    layer.inboundNodes.filter((n) => inGraph.has(n)).forEach((n, call) => n.outputs.forEach((t, i) => out.set(`${layer.name}:${call}:${i}`, t)));
  }
  return out;
}

function nodeToKeras(node: NodeSpec, shapes: Map<string, SymbolicTensor>, dialect: Dialect): Json {
  if (dialect === 'keras2') return node as unknown as Json;
  const tensors = node.map(([name, call, index]) => {
    const t = shapes.get(`${name}:${call}:${index}`);
    return { class_name: '__keras_tensor__', config: { shape: (t?.shape ?? null) as Json, dtype: t?.dtype ?? 'float32', keras_history: [name, call, index] } };
  });
  return { args: tensors.length === 1 ? tensors : [tensors], kwargs: {} };
}

// ---------------------------------------------------------------- reading

/** A layer spec in keras-ts's form (camelCase config, normalized graph) from a Keras object. */
export function specFromKeras(obj: unknown, ctx: LoadContext): LayerSpec & { registeredName?: string; buildShape?: Json } {
  if (!isKerasObject(obj)) {
    throw new ValueError(`${ctx.where}: expected a layer as {class_name, config}, got ${JSON.stringify(obj)?.slice(0, 100)}. help: the file is corrupt.`);
  }
  const className = obj.class_name;
  const registeredName = typeof obj.registered_name === 'string' ? obj.registered_name : undefined;
  const name = typeof obj.name === 'string' ? obj.name : (obj.config as { name?: unknown })?.name;
  const where = `${ctx.where}: layer '${String(name ?? '?')}' (${className})`;
  const entry = lookup(className, { where, kind: 'layer', registeredName, customObjects: ctx.customObjects });
  let config: LayerConfig;
  const cls: unknown = entry.cls;
  if (cls === Sequential) config = sequentialConfigFromKeras(obj.config, { ...ctx, where });
  else if (cls === Model) config = functionalConfigFromKeras(obj.config, { ...ctx, where });
  else {
    const knownKeys = (entry.cls as { optionKeys?: readonly string[] }).optionKeys;
    config = configFromKeras(className, obj.config, { where, knownKeys }) as LayerConfig;
  }
  const inbound = Array.isArray(obj.inbound_nodes) ? obj.inbound_nodes.map((n) => nodeFromKeras(n, where)) : [];
  const buildShape = (obj.build_config as { input_shape?: Json } | undefined)?.input_shape;
  return { className, name: String(name ?? config.name ?? ''), config, inboundNodes: inbound, registeredName, ...(buildShape ? { buildShape } : {}) };
}

function sequentialConfigFromKeras(raw: unknown, ctx: LoadContext): LayerConfig {
  // Keras <= 2.2 wrote the list of layers itself; later versions {name, layers}.
  const config = (Array.isArray(raw) ? { layers: raw } : raw) as Record<string, unknown>;
  if (typeof config !== 'object' || config === null || !Array.isArray(config.layers)) {
    throw new ValueError(`${ctx.where}: a Sequential config needs a list of layers, got ${JSON.stringify(raw)?.slice(0, 100)}. help: the file is corrupt.`);
  }
  const layers = config.layers.map((l) => specFromKeras(l, ctx));
  const buildShape = config.build_input_shape;
  if (layers.length > 0 && layers[0].className !== 'InputLayer' && layers[0].config.batchInputShape === undefined && Array.isArray(buildShape)) {
    layers.unshift({ className: 'InputLayer', name: '', config: { name: `${String(config.name ?? 'sequential')}_input`, trainable: true, batchShape: buildShape }, inboundNodes: [] });
  }
  const out: LayerConfig = { name: String(config.name ?? 'sequential'), trainable: config.trainable !== false, layers };
  return out;
}

function functionalConfigFromKeras(raw: unknown, ctx: LoadContext): LayerConfig {
  const config = raw as Record<string, unknown>;
  if (typeof config !== 'object' || config === null || !Array.isArray(config.layers)) {
    throw new ValueError(`${ctx.where}: a functional model's config needs a list of layers. help: the file is corrupt.`);
  }
  const layers = config.layers.map((l) => specFromKeras(l, ctx));
  return {
    name: String(config.name ?? 'functional'),
    trainable: config.trainable !== false,
    layers,
    inputLayers: refsFromKeras(config.input_layers, ctx.where),
    outputLayers: refsFromKeras(config.output_layers, ctx.where),
  };
}

/** [[name, call, index], ...], also Keras 3's single ['name', call, index]. */
function refsFromKeras(raw: unknown, where: string): TensorRef[] {
  if (!Array.isArray(raw)) throw new ValueError(`${where}: input_layers/output_layers must be lists. help: the file is corrupt.`);
  const list = typeof raw[0] === 'string' ? [raw] : raw;
  return list.map((r) => {
    if (!Array.isArray(r) || typeof r[0] !== 'string') throw new ValueError(`${where}: bad tensor reference ${JSON.stringify(r)?.slice(0, 80)}. help: the file is corrupt.`);
    return [r[0], Number(r[1] ?? 0), Number(r[2] ?? 0)];
  });
}

/** One call of a layer: Keras 2's [[name, call, index, kwargs], ...] or Keras 3's {args, kwargs}. */
function nodeFromKeras(raw: unknown, where: string): NodeSpec {
  if (Array.isArray(raw)) {
    return raw.map((r) => {
      if (!Array.isArray(r) || typeof r[0] !== 'string') throw new ValueError(`${where}: bad inbound node ${JSON.stringify(r)?.slice(0, 80)}. help: the file is corrupt.`);
      return [r[0], Number(r[1] ?? 0), Number(r[2] ?? 0), {}];
    });
  }
  if (typeof raw === 'object' && raw !== null && 'args' in raw) {
    const refs: NodeSpec = [];
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (isKerasObject(v) && v.class_name === '__keras_tensor__') {
        const h = (v.config as { keras_history?: unknown[] })?.keras_history;
        if (!Array.isArray(h) || typeof h[0] !== 'string') throw new ValueError(`${where}: a tensor without keras_history. help: the file is corrupt.`);
        refs.push([h[0], Number(h[1] ?? 0), Number(h[2] ?? 0), {}]);
      }
    };
    visit((raw as { args: unknown }).args);
    return refs;
  }
  throw new ValueError(`${where}: bad inbound node ${JSON.stringify(raw)?.slice(0, 80)}. help: the file is corrupt.`);
}

let activeContext: LoadContext | null = null;

/** Runs `fn` with `ctx` as the context of nested layerFromConfig calls (custom objects reach nested models). */
export function withLoadContext<T>(ctx: LoadContext, fn: () => T): T {
  const saved = activeContext;
  activeContext = ctx;
  try {
    return fn();
  } finally {
    activeContext = saved;
  }
}

/**
 * A layer (or model) from its spec, through the registry: keras-ts's `{className, config}` or
 * Keras 3's dict `{module, class_name, config, registered_name}` (snake_case, nested objects as
 * dicts). The one path of k.layers.deserialize, deserializeKerasObject and wrappers' sublayers.
 */
export function layerFromConfig(spec: { className: string; config: LayerConfig; registeredName?: string; buildShape?: unknown }, where: string): Layer {
  if (isKerasObject(spec)) {
    const ctx = activeContext ?? { where };
    return withLoadContext(ctx, () => layerFromConfig(specFromKeras(spec, ctx), where));
  }
  if (typeof spec !== 'object' || spec === null || typeof spec.className !== 'string') {
    throw new ValueError(`${where}: expected a layer as {className, config} or Keras's {class_name, config}, got ${JSON.stringify(spec)?.slice(0, 80)}. help: pass what layers.serialize or serializeKerasObject returned.`);
  }
  const ctx = activeContext;
  const name = (spec.config as { name?: unknown })?.name;
  const here = `${where}: layer '${String(name ?? '?')}' (${spec.className})`;
  const entry = lookup(spec.className, { where: here, kind: 'layer', registeredName: spec.registeredName, customObjects: ctx?.customObjects });
  const cls = entry.cls as { fromConfig?: (c: LayerConfig) => Layer } & (new (c: LayerConfig) => Layer);
  try {
    if (cls === (InputLayer as unknown)) return InputLayer.fromConfig(spec.config);
    const layer = typeof cls.fromConfig === 'function' ? cls.fromConfig(spec.config) : new cls(spec.config);
    // A subclassed model is built from the input shape it was saved with, so its weights exist to load into.
    if (layer instanceof Model && layer.isSubclassed && !layer.built && spec.buildShape !== undefined) layer.build(spec.buildShape as Shape);
    return layer;
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith(where)) e.message = `${here}: ${e.message}`;
    throw e;
  }
}

// Layers that hold layers (TimeDistributed, Bidirectional, RNN) rebuild them through this registry too.
setLayerResolver(layerFromConfig);
setLayerSerializer((layer) => layerToKeras(layer, 'keras3') as unknown as Record<string, unknown>);
