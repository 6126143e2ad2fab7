/**
 * The tests' independent reader of event files: test/summary/decode_events.py, which compiles
 * TensorBoard's .proto files with Debian's protoc and decodes with Debian's python3-protobuf,
 * checking every record's CRCs with its own CRC-32C. Missing tools fail the test (CI installs them).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'decode_events.py');
const PROTO_ROOT = path.join(__dirname, '..', '..', 'src', 'summary', 'proto');

export interface DecodedValue {
  tag: string;
  plugin: string;
  dtype: number;
  dims: number[];
  data: unknown;
}
export interface DecodedEvent {
  wall_time: number;
  step: number;
  what: 'file_version' | 'graph_def' | 'summary';
  file_version?: string;
  nodes?: Array<{ name: string; op: string; input: string[]; output_shapes: number[][] }>;
  values?: DecodedValue[];
}
export interface DecodedFile {
  path: string;
  bytes: number;
  records: number;
  record_ends: number[];
  end: string;
  events: DecodedEvent[];
}

export function decodeEvents(...paths: string[]): DecodedFile[] {
  for (const [tool, pkg] of [[PYTHON, 'python3'], ['/usr/bin/protoc', 'protobuf-compiler']]) {
    if (!fs.existsSync(tool)) throw new Error(`the event decoder needs ${tool}: apt-get install ${pkg} python3-protobuf (.ci/run does)`);
  }
  const out = execFileSync(PYTHON, [SCRIPT, PROTO_ROOT, ...paths], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out) as DecodedFile[];
}

/** Every scalar as {tag, step, value}, in file order. */
export function scalars(file: DecodedFile): Array<{ tag: string; step: number; value: number }> {
  return file.events.flatMap((e) =>
    (e.values ?? []).filter((v) => v.plugin === 'scalars').map((v) => ({ tag: v.tag, step: e.step, value: (v.data as number[])[0] })),
  );
}

/** The values of one plugin, with their steps. */
export function valuesOf(file: DecodedFile, plugin: string): Array<DecodedValue & { step: number }> {
  return file.events.flatMap((e) => (e.values ?? []).filter((v) => v.plugin === plugin).map((v) => ({ ...v, step: e.step })));
}
