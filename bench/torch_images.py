"""PyTorch's side of `npm run bench:images` (bench/images.ts): one folder of class subfolders read by
torchvision.datasets.ImageFolder (PIL decodes) through a DataLoader, batch 32, transforms
Resize((h, w)) + PILToTensor, as the keras-ts side decodes, resizes and batches it.

    python3 bench/torch_images.py DIR H W WORKERS...
    python3 bench/torch_images.py --profile DIR

--profile: per-image CPU ms, one file at a time, of PIL's open + load (decode) and of
Resize((h, w)) + PILToTensor at 64x64 and 224x224, per extension: one PROFILE line each.

For each WORKERS value (num_workers of the DataLoader), one warm-up epoch then one timed epoch; prints
CONFIG (versions, threads) and one RESULT line per run: images per second of the timed epoch, and the
CPU seconds it took in the main process and in the worker processes (from /proc).
torch.set_num_threads(1) in the main process (the batching is a stack of uint8 tensors; the workers,
where there are any, set it themselves as DataLoader does)."""
import json, os, sys, time
import torch
import torchvision
from torchvision import datasets, transforms

def profile(directory):
    from PIL import Image
    files = [os.path.join(r, f) for r, _, fs in os.walk(directory) for f in fs]
    for ext in ('.jpg', '.png'):
        chosen = sorted(f for f in files if f.endswith(ext))
        t = time.process_time()
        images = []
        for f in chosen:
            img = Image.open(f)
            img.load()
            images.append(img.convert('RGB'))
        decode = (time.process_time() - t) * 1000 / len(chosen)
        for h in (64, 224):
            tf = transforms.Compose([transforms.Resize((h, h)), transforms.PILToTensor()])
            t = time.process_time()
            for img in images:
                tf(img)
            print('PROFILE ' + json.dumps({'ext': ext, 'h': h, 'decode': decode, 'resize': (time.process_time() - t) * 1000 / len(chosen)}), flush=True)


if sys.argv[1] == '--profile':
    torch.set_num_threads(1)
    profile(sys.argv[2])
    sys.exit(0)
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
