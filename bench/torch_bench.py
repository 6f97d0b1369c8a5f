"""PyTorch side of bench/run.mjs: times the same losses on the same sizes on the CPU and prints JSON.

Run by bench/run.mjs when Debian's /usr/bin/python3 has torch; not a test. Threads are pinned to 1
(losskit is single-threaded) and, separately, left at torch's default.
"""

import json
import os
import sys
import timeit

import torch
import torch.nn.functional as F

try:
    from torchvision.ops import sigmoid_focal_loss
except ImportError:  # pragma: no cover
    sigmoid_focal_loss = None

MODE = sys.argv[1] if len(sys.argv) > 1 else "peers"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
ROWS, CLASSES = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (2048, 1000)


def best_ms(fn, min_time=0.5):
    fn()
    number = 1
    while True:
        t = timeit.timeit(fn, number=number)
        if t >= 0.2:
            break
        number *= 2
    reps = max(3, int(min_time / (t / number) / number))
    times = timeit.repeat(fn, number=number, repeat=min(reps, 7))
    return min(times) / number * 1000


def cases(dtype):
    g = torch.Generator().manual_seed(7)
    x = torch.randn(N, generator=g, dtype=dtype)
    y = torch.randn(N, generator=g, dtype=dtype)
    z = (torch.rand(N, generator=g, dtype=dtype) > 0.5).to(dtype)
    logits = torch.randn(ROWS, CLASSES, generator=g, dtype=dtype)
    labels = torch.randint(0, CLASSES, (ROWS,), generator=g)

    def vg(loss_fn, inp, *rest):
        def run():
            a = inp.detach().requires_grad_(True)
            v = loss_fn(a, *rest)
            v.backward()
            return v.item(), a.grad
        return run

    out = {
        "mse": vg(F.mse_loss, x, y),
        "huber": vg(F.huber_loss, x, y),
        "bceWithLogits": vg(F.binary_cross_entropy_with_logits, x, z),
        "crossEntropy": vg(F.cross_entropy, logits, labels),
    }
    if sigmoid_focal_loss is not None:
        out["sigmoidFocal"] = vg(lambda a, t: sigmoid_focal_loss(a, t, reduction="mean"), x, z)
    return out


def main():
    result = {"torch": torch.__version__, "results": {}, "threads": torch.get_num_threads()}
    if MODE == "contract":
        # Part 1 of bench/run.mjs: float32 at training sizes, on every core of the machine.
        torch.set_num_threads(os.cpu_count() or 1)
        result["threads"] = torch.get_num_threads()
        for case, fn in cases(torch.float32).items():
            result["results"][case] = best_ms(fn, min_time=2.0)
        print(json.dumps(result))
        return
    for threads in (1, torch.get_num_threads()):
        torch.set_num_threads(threads)
        for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
            for case, fn in cases(dtype).items():
                key = f"{case}|torch {name} ({threads} thread{'s' if threads > 1 else ''})"
                result["results"][key] = best_ms(fn)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
