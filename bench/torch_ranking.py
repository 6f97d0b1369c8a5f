"""PyTorch side of bench/ranking.mjs: NT-Xent (SimCLR form) and allRank's lambdaLoss (ndcgLoss2PP, the
torch transcription in tools/golden/gen_ranking.py) on float32 CPU tensors, value + gradient, JSON out.
Not a test.
"""

import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "golden"))
from gen_ranking import lambda_loss_slates  # noqa: E402

N_NT, D_NT, B_L, L_L, LEVELS, RUNS = (int(v) for v in sys.argv[1:7])
TAU = 0.5


def best_ms(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    best = math.inf
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def nt_step(z1, z2):
    n = z1.shape[0]
    eye = torch.eye(2 * n, dtype=torch.bool)
    pos = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])

    def run():
        a = z1.detach().requires_grad_(True)
        b = z2.detach().requires_grad_(True)
        z = F.normalize(torch.cat([a, b]), dim=1)
        sim = (z @ z.t() / TAU).masked_fill(eye, -math.inf)
        loss = (torch.logsumexp(sim, dim=1) - sim[torch.arange(2 * n), pos]).mean()
        loss.backward()
        return loss.item(), a.grad, b.grad

    return run


def lambda_step(s, y):
    def run():
        ss = s.detach().requires_grad_(True)
        loss = lambda_loss_slates(ss, y).sum()
        loss.backward()
        return loss.item(), ss.grad

    return run


def main():
    g = torch.Generator().manual_seed(17)
    z1 = torch.randn(N_NT, D_NT, generator=g)
    z2 = z1 + 0.5 * torch.randn(N_NT, D_NT, generator=g)
    s = torch.randn(B_L, L_L, generator=g)
    y = torch.randint(0, LEVELS, (B_L, L_L), generator=g).float()
    threads = torch.get_num_threads()
    results = {}
    for suffix in ["", " 1 thread"]:
        if suffix:
            torch.set_num_threads(1)
        results["ntXent" + suffix] = best_ms(nt_step(z1, z2), RUNS, 1)
        results["lambdaLoss" + suffix] = best_ms(lambda_step(s, y), 3 * RUNS, 1)
    print(json.dumps({"torch": torch.__version__, "threads": threads, "results": results}))


if __name__ == "__main__":
    main()
