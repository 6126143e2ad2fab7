#!/usr/bin/env node
/**
 * The keras-ts command: `npx keras-ts build-native` builds the native CPU backend (g++ and oneDNN);
 * `npx keras-ts build-cuda` the optional CUDA addon on a machine with nvcc; `npx keras-ts build-mpi`
 * the optional MPI binding (multi-process training) on a machine with mpicc. Installing the package
 * never needs any of them (it tries the native backend and MPI, and says what is missing).
 * `--help` (`-h`, `help`) prints the usage and exits 0; `--version` prints the package version;
 * an unknown or missing command prints the usage to stderr and exits 2.
 */
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const commands = {
  'build-native': {
    help: 'build the native CPU backend, the fastest on a CPU (needs g++ and oneDNN: apt-get install g++ libdnnl-dev)',
    run: () => spawnSync(process.execPath, [path.join(__dirname, '..', 'native', 'cpu', 'build.js')], { stdio: 'inherit' }).status,
  },
  'build-cuda': {
    help: 'build the CUDA backend (needs nvcc from the CUDA toolkit 12 or 13, and an NVIDIA GPU to run)',
    run: () => spawnSync('bash', [path.join(__dirname, '..', 'native', 'cuda', 'build.sh')], { stdio: 'inherit' }).status,
  },
  'build-mpi': {
    help: 'build the MPI binding for data-parallel training over processes (needs mpicc: apt-get install openmpi-bin libopenmpi-dev)',
    run: () => spawnSync(process.execPath, [path.join(__dirname, '..', 'native', 'mpi', 'build.js')], { stdio: 'inherit' }).status,
  },
};

function usage() {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const list = Object.entries(commands).map(([n, c]) => `  npx keras-ts ${n.padEnd(width)}  ${c.help}`).join('\n');
  return (
    'Usage: npx keras-ts <command>\n\n' +
    'Builds the optional native parts of keras-ts (the library itself needs none of them).\n\n' +
    `Commands:\n${list}\n\n` +
    'Options:\n  -h, --help     show this help\n  -v, --version  print the keras-ts version\n'
  );
}

const [name] = process.argv.slice(2);
if (name === '--help' || name === '-h' || name === 'help') {
  process.stdout.write(usage());
  process.exit(0);
}
if (name === '--version' || name === '-v') {
  process.stdout.write(`${require(path.join(__dirname, '..', 'package.json')).version}\n`);
  process.exit(0);
}
const command = commands[name];
if (command === undefined) {
  process.stderr.write(`${name ? `keras-ts: unknown command '${name}'.` : 'keras-ts: give a command.'}\n\n${usage()}`);
  process.exit(2);
}
process.exit(command.run() ?? 1);
