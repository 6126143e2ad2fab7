/**
 * The `keras-ts` command (bin/keras-ts.js), run in a child process as `npx keras-ts` runs it: help
 * lists every command and exits 0, --version prints package.json's version, an unknown command
 * exits 2 with the usage on stderr. No command that builds anything is run here.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'keras-ts.js');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test.each(['--help', '-h', 'help'])('%s prints the usage and every command, and exits 0', (flag) => {
  const r = run(flag);
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^Usage: npx keras-ts <command>/);
  for (const command of ['build-native', 'build-cuda', 'build-mpi']) expect(r.stdout).toContain(`\n  npx keras-ts ${command} `);
  for (const option of ['--help', '--version']) expect(r.stdout).toContain(option);
});

test('--version prints the version of package.json', () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const r = run('--version');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`${version}\n`);
});

test('an unknown or missing command exits 2 and prints the usage to stderr', () => {
  const unknown = run('trian');
  expect(unknown.status).toBe(2);
  expect(unknown.stdout).toBe('');
  expect(unknown.stderr).toMatch(/^keras-ts: unknown command 'trian'\.\n\nUsage: npx keras-ts <command>/);
  const missing = run();
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/^keras-ts: give a command\.\n\nUsage:/);
});
