"""torchvision's side of bench/applications.ts: mobilenet_v2 and resnet50 (random weights) forward at
224x224 in eval mode under no_grad, and a fine-tuning step of mobilenet_v2 at 96x96 (10 classes, Adam,
cross-entropy): frozen features with a new head, and the whole network. Medians after a warm-up.
Prints one RESULT line of JSON.

    OMP_NUM_THREADS=N OPENBLAS_NUM_THREADS=N python3 bench/torch_applications.py N BATCH
"""
import json
import statistics
import sys
import time

import torch
import torchvision

threads, batch = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)
result = {"version": torch.__version__, "torchvision": torchvision.__version__}


def forward(model, reps):
    model.eval()
    x = torch.rand(batch, 3, 224, 224) * 2 - 1
    times = []
    with torch.no_grad():
        for _ in range(reps + 1):
            t = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - t)
    return batch / statistics.median(times[1:])


def finetune(frozen, reps):
    model = torchvision.models.mobilenet_v2(num_classes=1000)
    model.classifier = torch.nn.Sequential(torch.nn.Linear(1280, 10))
    if frozen:
        for p in model.features.parameters():
            p.requires_grad = False
        model.features.eval()  # Keras runs a frozen base's BatchNormalization in inference mode
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.rand(batch, 3, 96, 96) * 2 - 1
    y = torch.arange(batch) % 10
    times = []
    for _ in range(reps + 2):
        t = time.perf_counter()
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()
        times.append(time.perf_counter() - t)
    return statistics.median(times[2:])


result["mobilenet_v2_forward"] = forward(torchvision.models.mobilenet_v2(), 5)
result["resnet50_forward"] = forward(torchvision.models.resnet50(), 3)
result["mobilenet_v2_finetune_frozen"] = finetune(True, 5)
result["mobilenet_v2_finetune_full"] = finetune(False, 5)
print("RESULT " + json.dumps(result), flush=True)
