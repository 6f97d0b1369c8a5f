"""PyTorch side of bench/fast.mjs (issue "fast paths", workloads W1-W8), run as a server so the
benchmark can interleave it with losskit and TF.js in one sitting. Not a test.

Protocol: one JSON request per stdin line, one JSON answer per stdout line.
  {"op": "setup", "w": "W1", "files": {...}}      loads the workload's arrays (raw files)
  {"op": "run", "w": "W1", "threads": 2}           one timed call: {"ms": ..., "value": ...}
  {"op": "mem", "w": "W1", "threads": 1}           one call with the peak RSS above the RSS before
                                                   it (VmHWM after /proc/self/clear_refs = 5), KiB
  {"op": "free", "w": "W1"}
Each call computes the loss (mean) and its gradient with autograd and reads both (.item(), the
gradient tensor), as losskit returns them; W8 is the forward box_iou matrix.
"""

import gc
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.ops import box_iou, complete_box_iou_loss, sigmoid_focal_loss

data = {}


def setup(w, files):
    """The workload's arrays, written by bench/fast.mjs as raw float32 / int32 files."""
    out = []
    for name, f in files.items():
        a = np.fromfile(f["path"], dtype=np.float32 if f["dtype"] == "float32" else np.int32)
        t = torch.from_numpy(a.reshape(f["shape"]))
        out.append(t.long() if f["dtype"] == "int32" else t)
    return tuple(out)


def dice(x, t):
    # smp DiceLoss(mode='binary', from_logits=True): one score over the batch, absent mask.
    p = F.logsigmoid(x).exp().reshape(x.shape[0], 1, -1)
    tt = t.reshape(x.shape[0], 1, -1)
    inter = (p * tt).sum((0, 2))
    card = (p + tt).sum((0, 2))
    return ((1 - 2 * inter / card.clamp_min(1e-7)) * (tt.sum((0, 2)) > 0)).mean()


LOSSES = {
    "W1": F.mse_loss,
    "W2": F.huber_loss,
    "W3": F.binary_cross_entropy_with_logits,
    "W4": lambda a, t: sigmoid_focal_loss(a, t, reduction="mean"),
    "W5": F.cross_entropy,
    "W6": dice,
    "W7": lambda a, t: complete_box_iou_loss(a, t, reduction="mean"),
}


def call(w):
    a, b = data[w]
    if w == "W8":
        with torch.no_grad():
            m = box_iou(a, b)
        return float(m[0, 0])
    x = a.detach().requires_grad_(True)
    loss = LOSSES[w](x, b)
    loss.backward()
    v = loss.item()
    _ = x.grad
    return v


def status():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                k, v = line.split(":")
                out[k] = int(v.split()[0])
    return out


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        op, w = req["op"], req.get("w")
        if op == "setup":
            data[w] = setup(w, req["files"])
            call(w)
            ans = {"ok": True}
        elif op == "run":
            torch.set_num_threads(req["threads"])
            t0 = time.perf_counter()
            v = call(w)
            ans = {"ms": (time.perf_counter() - t0) * 1000, "value": v}
        elif op == "mem":
            torch.set_num_threads(req["threads"])
            gc.collect()
            try:
                with open("/proc/self/clear_refs", "w") as f:
                    f.write("5")
                before = status()["VmRSS"]
                call(w)
                ans = {"peakKiB": status()["VmHWM"] - before}
            except OSError:
                ans = {"peakKiB": None}
        elif op == "free":
            data.pop(w, None)
            gc.collect()
            ans = {"ok": True}
        else:
            ans = {"error": op}
        print(json.dumps(ans), flush=True)


if __name__ == "__main__":
    main()
