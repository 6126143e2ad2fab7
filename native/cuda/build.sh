#!/usr/bin/env bash
# Builds native/cuda/build/keras_cuda.node with nvcc: SASS for sm_80 and sm_90, PTX for newer GPUs,
# the CUDA runtime linked statically; cuBLAS is opened at run time. Needs nvcc and Node's headers.
set -euo pipefail
cd "$(dirname "$0")"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
if [ ! -x "$NVCC" ]; then
  echo "build:cuda: nvcc not found. help: install the CUDA toolkit (12 or 13) or set NVCC=/path/to/nvcc." >&2
  exit 1
fi
NODE_INCLUDE="$(node -p "require('path').join(process.execPath, '..', '..', 'include', 'node')")"
if [ ! -f "$NODE_INCLUDE/node_api.h" ]; then
  echo "build:cuda: Node's headers (node_api.h) not found in $NODE_INCLUDE. help: install Node's development headers." >&2
  exit 1
fi
mkdir -p build
"$NVCC" -O3 -std=c++17 -shared -Xcompiler -fPIC -cudart static \
  -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90 \
  -DNODE_GYP_MODULE_NAME=keras_cuda -I"$NODE_INCLUDE" addon.cu -o build/keras_cuda.node -ldl
echo "build:cuda: built $(pwd)/build/keras_cuda.node"
