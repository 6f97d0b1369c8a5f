"""Shared helpers for losskit's golden-value generators.

Every generator is seeded, computes in float64 with the reference library (Debian's PyTorch 1.13.1 /
torchvision 0.14.1 / scikit-learn), and writes one JSON fixture per entry into test/fixtures/golden/.
Run them all with `npm run golden` (tools/golden/run.sh). Use Debian's /usr/bin/python3.

Fixture format (read by src/test-support/golden.ts):
  { "id", "generator", "reference", "seed",
    "cases": [ { "name", "inputs": {name: tensor}, "options": {...}, "upstream": tensor|null,
                 "value": number|tensor, "grads": {name: tensor} } ] }
  tensor = {"dtype": "float64"|"int32", "shape": [...], "data": [...]}; NaN/±Infinity as strings.
"""

import json
import math
import os
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "test", "fixtures", "golden")


def versions():
    parts = [f"torch {torch.__version__}"]
    try:
        import torchvision

        parts.append(f"torchvision {torchvision.__version__}")
    except ImportError:  # pragma: no cover
        pass
    return ", ".join(parts)


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def enc(t, dtype=None):
    """Encodes a torch tensor, numpy array, list or number as a fixture tensor."""
    if isinstance(t, torch.Tensor):
        is_int = not t.is_floating_point()
        arr = t.detach().cpu().numpy()
    else:
        arr = np.asarray(t)
        is_int = np.issubdtype(arr.dtype, np.integer) or arr.dtype == np.bool_
    if dtype is None:
        dtype = "int32" if is_int else "float64"
    flat = arr.reshape(-1).tolist()
    data = [int(v) for v in flat] if dtype == "int32" else [num(v) for v in flat]
    return {"dtype": dtype, "shape": list(arr.shape), "data": data}


def enc_value(v):
    if isinstance(v, torch.Tensor) and v.dim() > 0:
        return enc(v)
    return num(v)


def grad_case(name, fn, inputs, diff, options=None, upstream=None, int_inputs=()):
    """Runs fn(**tensors) with autograd and records value and gradients.

    inputs: name -> array-like; names in `diff` get requires_grad (float64).
    options: the losskit options of this case (JSON), recorded verbatim.
    upstream: for 'none' cases, the upstream tensor (Σ upstream·loss is differentiated).
    """
    tensors = {}
    for k, v in inputs.items():
        if k in int_inputs:
            tensors[k] = torch.as_tensor(np.asarray(v), dtype=torch.int64)
        elif isinstance(v, torch.Tensor):
            tensors[k] = v.detach().clone().to(torch.float64)
        else:
            tensors[k] = torch.as_tensor(np.asarray(v, dtype=np.float64))
        if k in diff:
            tensors[k].requires_grad_(True)
    value = fn(**tensors)
    if value.dim() == 0:
        total = value * (1.0 if upstream is None else float(upstream))
    else:
        up = torch.ones_like(value) if upstream is None else torch.as_tensor(np.asarray(upstream, dtype=np.float64))
        total = (value * up).sum()
    grads = {}
    if any(tensors[k].requires_grad for k in diff):
        total.backward()
        for k in diff:
            g = tensors[k].grad
            grads[k] = enc(g if g is not None else torch.zeros_like(tensors[k]))
    case = {
        "name": name,
        "inputs": {k: enc(tensors[k], "int32" if k in int_inputs else None) for k in inputs},
        "options": options or {},
        "upstream": None if upstream is None else (num(upstream) if np.isscalar(upstream) else enc(np.asarray(upstream, dtype=np.float64))),
        "value": enc_value(value),
        "grads": grads,
    }
    return case


def value_case(name, inputs, options, value, int_inputs=()):
    """A case with a value only (metrics, or references without autograd)."""
    return {
        "name": name,
        "inputs": {k: enc(v, "int32" if k in int_inputs else None) for k, v in inputs.items()},
        "options": options or {},
        "upstream": None,
        "value": enc_value(torch.as_tensor(value)) if not np.isscalar(value) else num(value),
        "grads": None,
    }


def write_fixture(entry_id, generator, reference, seed, cases):
    os.makedirs(OUT_DIR, exist_ok=True)
    doc = {
        "id": entry_id,
        "generator": generator,
        "reference": reference,
        "seed": seed,
        "cases": cases,
    }
    path = os.path.join(OUT_DIR, f"{entry_id}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(cases)} cases)", file=sys.stderr)


def rng(seed):
    return np.random.default_rng(seed)


def reduce(loss, reduction):
    """torch's reductions of a per-element loss: 'mean', 'sum', or 'none' (the loss itself)."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def as_weight(weight):
    """An optional weight (list or array) as a float64 torch tensor, None when absent."""
    return None if weight is None else torch.as_tensor(np.asarray(weight, dtype=np.float64))
