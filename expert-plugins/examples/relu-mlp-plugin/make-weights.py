#!/usr/bin/env python3
"""Writes the contributed expert's weights for the tiny test model (2 layers, d_model 64, d_ff 128).

Format read by the host (docs/PLUGINS.md): experts/<name>/layer-<N>/<weight>.bin, little-endian float32,
row-major, Hugging Face layout [out, in]. Same seed, same bytes: run from this folder to regenerate.
"""
import pathlib
import numpy as np

LAYERS, D_MODEL, D_FF, SEED = 2, 64, 128, 11
root = pathlib.Path(__file__).parent / "src/main/resources/experts/example-relu"
rng = np.random.default_rng(SEED)
for layer in range(LAYERS):
    out = root / f"layer-{layer}"
    out.mkdir(parents=True, exist_ok=True)
    (rng.standard_normal((D_FF, D_MODEL)) * 0.05).astype("<f4").tofile(out / "w1.bin")
    (rng.standard_normal((D_MODEL, D_FF)) * 0.05).astype("<f4").tofile(out / "w2.bin")
