/**
 * TensorBoard's message types (Event, Summary, GraphDef), loaded once with protobufjs from the
 * `.proto` files kept under ./proto (TensorBoard's own schemas, unchanged).
 */
import * as path from 'path';
import * as protobuf from 'protobufjs';

const FILES = ['tensorboard/compat/proto/event.proto', 'tensorboard/compat/proto/graph.proto'];

export interface Protos {
  Event: protobuf.Type;
  Summary: protobuf.Type;
  GraphDef: protobuf.Type;
}

let loaded: Protos | null = null;

/** The message types, parsed from the schemas on first use. Field names are the .proto's (snake_case). */
export function protos(): Protos {
  if (loaded !== null) return loaded;
  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string) => path.join(__dirname, 'proto', target);
  root.loadSync(FILES, { keepCase: true });
  root.resolveAll();
  loaded = {
    Event: root.lookupType('tensorboard.Event'),
    Summary: root.lookupType('tensorboard.Summary'),
    GraphDef: root.lookupType('tensorboard.GraphDef'),
  };
  return loaded;
}

/** Serializes a plain object (enums by name) as a message of `type`, checked against the schema. */
export function encode(type: protobuf.Type, value: Record<string, unknown>): Uint8Array {
  const message = type.fromObject(value);
  const problem = type.verify(message);
  if (problem !== null) throw new Error(`${type.name}: ${problem}`);
  return type.encode(message).finish();
}
