"""PyTorch side of bench/segmentation.mjs: binary dice (smp DiceLoss formula) and Lovász-Softmax
(Berman's official formula, stable sort) on float32 CPU tensors, value + gradient, JSON out. Not a test.
"""

import json
import sys
import timeit

import torch
import torch.nn.functional as F

B_DICE, HW_DICE, B_LOV, C_LOV, HW_LOV = (int(v) for v in sys.argv[1:6])


def best_ms(fn):
    fn()
    number = 1
    while timeit.timeit(fn, number=number) < 0.2:
        number *= 2
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1000


def dice_step(x, t):
    def run():
        xx = x.detach().requires_grad_(True)
        p = F.logsigmoid(xx).exp().reshape(x.shape[0], 1, -1)
        tt = t.reshape(x.shape[0], 1, -1)
        inter = (p * tt).sum((0, 2))
        card = (p + tt).sum((0, 2))
        loss = ((1 - 2 * inter / card.clamp_min(1e-7)) * (tt.sum((0, 2)) > 0)).mean()
        loss.backward()
        return loss.item(), xx.grad

    return run


def lovasz_step(x, y):
    C = x.shape[1]

    def run():
        xx = x.detach().requires_grad_(True)
        p = torch.softmax(xx, 1).movedim(1, -1).reshape(-1, C)
        lab = y.reshape(-1)
        losses = []
        for c in range(C):
            fg = (lab == c).float()
            if fg.sum() == 0:
                continue
            err = (fg - p[:, c]).abs()
            es, perm = torch.sort(err, dim=0, descending=True, stable=True)
            g = fg[perm]
            gts = g.sum()
            jac = 1 - (gts - g.cumsum(0)) / (gts + (1 - g).cumsum(0))
            jac[1:] = jac[1:] - jac[:-1].clone()
            losses.append(torch.dot(es, jac))
        loss = sum(losses) / len(losses)
        loss.backward()
        return loss.item(), xx.grad

    return run


def main():
    g = torch.Generator().manual_seed(11)
    xd = torch.randn(B_DICE, 1, HW_DICE, HW_DICE, generator=g) * 2
    td = (torch.rand(B_DICE, HW_DICE, HW_DICE, generator=g) < 0.2).float()
    xl = torch.randn(B_LOV, C_LOV, HW_LOV, HW_LOV, generator=g)
    yl = torch.randint(0, C_LOV, (B_LOV, HW_LOV, HW_LOV), generator=g)
    results = {}
    threads = torch.get_num_threads()
    results["dice"] = best_ms(dice_step(xd, td))
    results["lovasz"] = best_ms(lovasz_step(xl, yl))
    torch.set_num_threads(1)
    results["dice 1 thread"] = best_ms(dice_step(xd, td))
    results["lovasz 1 thread"] = best_ms(lovasz_step(xl, yl))
    print(json.dumps({"torch": torch.__version__, "threads": threads, "results": results}))


if __name__ == "__main__":
    main()
