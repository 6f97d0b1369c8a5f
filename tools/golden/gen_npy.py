"""NumPy .npy fixtures for the CLI tests (test/fixtures/npy/), written with NumPy's own writer.

- logits.npy (float64, (4, 5)) and labels.npy (int64, (4,), the dtype NumPy gives integer labels),
  with expected.json: PyTorch's cross_entropy(label_smoothing=0.1) value and its gradient with
  respect to the logits (float64 autograd), as `losskit eval crossEntropy --input input=logits.npy
  --input target=labels.npy --option labelSmoothing=0.1 --grad out/` must reproduce.
- logits32.npy: the same logits rounded to float32, with expected32.json from float64 torch on those
  float32-valued logits (losskit computes in float64 and rounds the gradient once to float32).
- one file per other supported dtype (int32, uint8, bool), a version 2.0 header, a 0-d array and an
  empty (0, 3) array, and files the reader must reject: Fortran order, complex dtype, object dtype.
- big-endian copies of logits, logits32, int32 and labels (`*_be.npy`, dtypes >f8, >f4, >i4, >i8):
  the reader byte-swaps them and must give exactly what it reads from the little-endian originals.

Run with Debian's /usr/bin/python3 (numpy, torch 1.13). Seeded; rerunning gives identical files.
"""

import json
import os

import numpy as np
import torch

from common import ROOT, enc, num

OUT = os.path.join(ROOT, "test", "fixtures", "npy")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261201)


def save(name, arr, version=None):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, arr, version=version, allow_pickle=False)


def ce_expected(logits, labels, eps):
    x = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(labels, dtype=torch.int64)
    loss = torch.nn.functional.cross_entropy(x, y, label_smoothing=eps)
    loss.backward()
    return {
        "generator": "tools/golden/gen_npy.py",
        "reference": f"torch {torch.__version__} cross_entropy(label_smoothing={eps}), float64 autograd",
        "options": {"labelSmoothing": eps},
        "value": num(loss.item()),
        "grad": enc(x.grad),
    }


def write_json(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


logits = rng.normal(0.0, 2.0, size=(4, 5))
labels = rng.integers(0, 5, size=4)  # int64
assert labels.dtype == np.int64
save("logits.npy", logits)
save("labels.npy", labels)
write_json("expected.json", ce_expected(logits, labels, 0.1))

logits32 = logits.astype(np.float32)
save("logits32.npy", logits32)
write_json("expected32.json", ce_expected(logits32.astype(np.float64), labels, 0.1))

save("int32.npy", np.array([[1, -2, 3], [2147483647, -2147483648, 0]], dtype=np.int32))
save("uint8.npy", np.array([0, 1, 255, 7], dtype=np.uint8))
save("bool.npy", np.array([[True, False], [False, True]]))
save("v2.npy", np.arange(6, dtype=np.float64).reshape(2, 3), version=(2, 0))
save("scalar.npy", np.array(2.5))
save("empty.npy", np.zeros((0, 3), dtype=np.float32))
save("fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)))
save("bigendian.npy", np.arange(3, dtype=">f8"))
save("complex.npy", np.array([1 + 2j, 3 - 1j], dtype=np.complex128))
save("logits_be.npy", logits.astype(">f8"))
save("logits32_be.npy", logits32.astype(">f4"))
save("int32_be.npy", np.array([[1, -2, 3], [2147483647, -2147483648, 0]], dtype=">i4"))
save("labels_be.npy", labels.astype(">i8"))
