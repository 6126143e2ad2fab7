/**
 * Tests that need programs from Debian (protoc and python3-protobuf for the event decoder, chromium
 * for rendering pictures). .ci/run installs them; in CI (CI set) a missing one fails the test, and
 * elsewhere those tests are skipped with a warning that names the packages.
 */
import * as fs from 'fs';

export function testWithTools(tools: Record<string, string>): jest.It {
  const missing = Object.entries(tools).filter(([file]) => !fs.existsSync(file));
  if (missing.length === 0) return test;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  const message = `missing ${missing.map(([file]) => file).join(', ')}: apt-get install ${packages} (.ci/run does)`;
  if (process.env.CI) return ((name: string) => test(name, () => { throw new Error(message); })) as unknown as jest.It;
  process.stderr.write(`WARNING: skipping tests that need ${message}\n`);
  return test.skip;
}

export const DECODER_TOOLS = { '/usr/bin/python3': 'python3', '/usr/bin/protoc': 'protobuf-compiler', '/usr/lib/python3/dist-packages/google/protobuf/__init__.py': 'python3-protobuf' };
export const CHROMIUM_TOOLS = { '/usr/bin/chromium': 'chromium' };
