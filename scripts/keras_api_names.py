"""Writes scripts/keras_api_names.json: Keras 3's public names by category, read from a Keras
checkout's generated keras/api/ packages (the files `keras.*` is imported from).

    python3 scripts/keras_api_names.py /path/to/keras-checkout > scripts/keras_api_names.json

Each `from keras.src.X import A as B` line in keras/api/<category>/__init__.py is one public name B.
Names that are the same object (`from X import A` twice, e.g. `mse` and `mean_squared_error`)
are counted once, under the name whose spelling matches the object's own (the canonical one).
A category is a keras/api package; dataset modules (`keras.datasets.mnist`) are names of
'datasets'. Backend-specific packages (backend, config, distribution, export, legacy, tree, _tf_keras,
quantizers, distillation, wrappers, visualization, dtype_policies) and the layers that wrap
another framework's modules are left out, as the issue's count does.
"""
import json
import os
import re
import sys

CATEGORIES = [
    "keras", "layers", "losses", "metrics", "optimizers", "optimizers.schedules", "activations",
    "initializers", "regularizers", "constraints", "callbacks", "models", "saving", "utils",
    "ops", "ops.image", "ops.linalg", "random", "applications", "datasets", "mixed_precision",
]
# Layers that wrap another framework's modules (JAX, Flax, PyTorch, a TensorFlow SavedModel).
BACKEND_SPECIFIC = {"layers": ["FlaxLayer", "JaxLayer", "TFSMLayer", "TorchModuleWrapper"]}
IMPORT = re.compile(r"from\s+([\w.]+)\s+import\s+\(?\s*(\w+)\s+as\s+(\w+)\s*,?\s*\)?")


def names_of(api_dir, category):
    parts = [] if category == "keras" else category.split(".")
    path = os.path.join(api_dir, *parts, "__init__.py")
    with open(path) as f:
        text = f.read()
    by_object = {}
    for module, obj, name in IMPORT.findall(text):
        if name.startswith("_") or name in BACKEND_SPECIFIC.get(category, []):
            continue
        is_submodule = not module.startswith("keras.src")
        if is_submodule and category != "datasets":
            continue
        key = name if is_submodule else module + ":" + obj
        chosen = by_object.get(key)
        if chosen is None or (name == obj and chosen != obj):
            by_object[key] = name
    return sorted(set(by_object.values()), key=lambda n: (n.lower(), n))


def main():
    root = sys.argv[1]
    api_dir = os.path.join(root, "keras", "api")
    version = re.search(r'__version__ = "([^"]+)"', open(os.path.join(root, "keras", "src", "version.py")).read()).group(1)
    out = {
        "keras_version": version,
        "source": "github.com/keras-team/keras, tag v%s, keras/api/<category>/__init__.py" % version,
        "generated_by": "python3 scripts/keras_api_names.py <keras checkout>",
        "left_out": BACKEND_SPECIFIC,
        "categories": {c: names_of(api_dir, c) for c in CATEGORIES},
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
