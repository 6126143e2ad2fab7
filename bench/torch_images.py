"""PyTorch's side of `npm run bench:images` (bench/images.ts): one folder of class subfolders read by
torchvision.datasets.ImageFolder (PIL decodes) through a DataLoader, batch 32, transforms
Resize((h, w)) + PILToTensor, as the keras-ts side decodes, resizes and batches it.

    python3 bench/torch_images.py DIR H W WORKERS...

For each WORKERS value (num_workers of the DataLoader), one warm-up epoch then one timed epoch; prints
CONFIG (versions, threads) and one RESULT line per run: images per second of the timed epoch, and the
CPU seconds it took in the main process and in the worker processes (from /proc).
torch.set_num_threads(1) in the main process (the batching is a stack of uint8 tensors; the workers,
where there are any, set it themselves as DataLoader does)."""
import json, os, sys, time
import torch
import torchvision
from torchvision import datasets, transforms

directory, h, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
worker_counts = [int(v) for v in sys.argv[4:]]
torch.set_num_threads(1)


def config():
    import PIL
    return {'torch': torch.__version__, 'torchvision': torchvision.__version__, 'PIL': PIL.__version__,
            'torchThreads': torch.get_num_threads(), 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS'),
            'imageBackend': torchvision.get_image_backend()}


def cpu_seconds(pid):
    """User + system CPU seconds of a process (all its threads) from /proc."""
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def epoch(loader):
    t = time.perf_counter()
    n = 0
    for x, y in loader:
        n += len(y)
    return n, time.perf_counter() - t


def worker_pids(loader):
    it = getattr(loader, '_iterator', None)
    return [w.pid for w in getattr(it, '_workers', [])]


print('CONFIG ' + json.dumps(config()), flush=True)
ds = datasets.ImageFolder(directory, transform=transforms.Compose([transforms.Resize((h, w)), transforms.PILToTensor()]))
for workers in worker_counts:
    loader = torch.utils.data.DataLoader(ds, batch_size=32, shuffle=True, num_workers=workers,
                                         persistent_workers=workers > 0)
    epoch(loader)  # warm-up (starts the workers, fills the page cache)
    pids = worker_pids(loader)
    main0, workers0 = cpu_seconds(os.getpid()), sum(cpu_seconds(p) for p in pids)
    n, seconds = epoch(loader)
    main_cpu, worker_cpu = cpu_seconds(os.getpid()) - main0, sum(cpu_seconds(p) for p in pids) - workers0
    print('RESULT ' + json.dumps({'workers': workers, 'h': h, 'w': w, 'images': n, 'seconds': seconds, 'imagesPerSecond': n / seconds,
                                  'mainCpu': main_cpu, 'workerCpu': worker_cpu}), flush=True)
    del loader
