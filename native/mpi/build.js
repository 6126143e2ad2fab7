#!/usr/bin/env node
/**
 * Builds native/mpi/build/keras_mpi.node, keras-ts's MPI binding, with `mpicc` (Open MPI's or
 * MPICH's compiler wrapper) and Node's headers. `npx keras-ts build-mpi` runs it; `npm install`
 * runs it with --if-available, which builds only where mpicc is present and never fails the install.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const optional = process.argv.includes('--if-available');
const here = __dirname;
const out = path.join(here, 'build', 'keras_mpi.node');
const help = 'apt-get install openmpi-bin libopenmpi-dev, then npx keras-ts build-mpi';

function which(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  return null;
}

function give(message) {
  if (optional) {
    if (process.env.KERAS_TS_VERBOSE_INSTALL) console.log(`build-mpi: skipped (${message}).`);
    process.exit(0);
  }
  console.error(`build-mpi: ${message}. help: ${help}.`);
  process.exit(1);
}

const mpicc = process.env.MPICC || which('mpicc');
if (mpicc === null) give('mpicc not found (MPI is optional: only multi-process training needs it)');
const headers = [
  path.join(process.execPath, '..', '..', 'include', 'node'),
  path.join(require('os').homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
].find((dir) => fs.existsSync(path.join(dir, 'node_api.h')));
if (headers === undefined) give("Node's headers (node_api.h) not found next to node or in node-gyp's cache; install Node's development headers");

fs.mkdirSync(path.dirname(out), { recursive: true });
const tmp = `${out}.tmp-${process.pid}`;
const args = ['-O2', '-std=c11', '-D_GNU_SOURCE', '-shared', '-fPIC', `-I${headers}`, path.join(here, 'addon.c'), '-o', tmp, '-lpthread'];
const result = spawnSync(mpicc, args, { stdio: optional ? 'pipe' : 'inherit' });
if (result.status !== 0) {
  fs.rmSync(tmp, { force: true });
  if (optional) {
    console.warn(`build-mpi: building the MPI binding failed; multi-process training is unavailable until \`npx keras-ts build-mpi\` succeeds.\n${String(result.stderr || '')}`);
    process.exit(0);
  }
  console.error(`build-mpi: ${mpicc} failed (exit ${result.status}). help: check that libopenmpi-dev (or MPICH's headers) is installed.`);
  process.exit(1);
}
fs.renameSync(tmp, out);
console.log(`build-mpi: built ${out}`);
