"""PyTorch side of bench/boxes.mjs: torchvision 0.14 `complete_box_iou_loss` (mean, value + gradient)
and `box_iou` (forward, and backward of the sum to the first boxes, as losskit) on float32 CPU xyxy boxes, JSON out. Not a test.
"""

import json
import sys
import timeit

import torch
import torchvision
from torchvision.ops import box_iou, complete_box_iou_loss

N_CIOU, N_IOU = (int(v) for v in sys.argv[1:3])


def best_ms(fn):
    fn()
    number = 1
    while timeit.timeit(fn, number=number) < 0.2:
        number *= 2
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1000


def boxes(g, n, ref=None):
    if ref is None:
        xy = torch.rand(n, 2, generator=g) * 200
        wh = 1 + torch.rand(n, 2, generator=g) * 60
    else:
        wh0 = ref[:, 2:] - ref[:, :2]
        xy = ref[:, :2] + (torch.rand(n, 2, generator=g) - 0.5) * wh0
        wh = wh0 * (0.5 + torch.rand(n, 2, generator=g))
    return torch.cat([xy, xy + wh], 1)


def ciou_step(b, t):
    def run():
        bb = b.detach().requires_grad_(True)
        loss = complete_box_iou_loss(bb, t, reduction="mean")
        loss.backward()
        return loss.item(), bb.grad

    return run


def iou_fwd(a, b):
    def run():
        with torch.no_grad():
            return box_iou(a, b)

    return run


def iou_grad(a, b):
    def run():
        aa = a.detach().requires_grad_(True)
        s = box_iou(aa, b).sum()
        s.backward()
        return s.item(), aa.grad

    return run


def main():
    g = torch.Generator().manual_seed(13)
    pred = boxes(g, N_CIOU)
    gt = boxes(g, N_CIOU, pred)
    ia = boxes(g, N_IOU)
    ib = boxes(g, N_IOU)
    results = {}
    threads = torch.get_num_threads()
    cases = {"ciou": ciou_step(pred, gt), "iouFwd": iou_fwd(ia, ib), "iouGrad": iou_grad(ia, ib)}
    for k, fn in cases.items():
        results[k] = best_ms(fn)
    torch.set_num_threads(1)
    for k, fn in cases.items():
        results[f"{k} 1 thread"] = best_ms(fn)
    print(json.dumps({"torch": torch.__version__, "torchvision": torchvision.__version__, "threads": threads, "results": results}))


if __name__ == "__main__":
    main()
