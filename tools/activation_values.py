"""Write PyTorch's values of every activation at large, tiny and ordinary inputs.

  /usr/bin/python3 tools/activation_values.py   # writes testdata/parity/activation_values.safetensors

Inputs stop at 1e30: past 5.7e37 PyTorch's float32 hardswish overflows in x * 6 before it divides
(+Inf for a finite result), which no model meets and cnnc does not copy.

The file holds `input` (float32, [K]) and, for each activation, its output under the
cnnc layer text that means the same module (`gelu tanh`, `elu 0.7`, ...). The Go test
TestActivationValues runs each layer on `input` and compares elementwise.
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_lite import save_file  # noqa: E402

LAYERS = {
    "relu": nn.ReLU(), "relu6": nn.ReLU6(), "hardtanh": nn.Hardtanh(),
    "hardtanh lower=-0.5 upper=2": nn.Hardtanh(-0.5, 2), "leakyrelu": nn.LeakyReLU(),
    "leakyrelu 0.2": nn.LeakyReLU(0.2), "leakyrelu -0.3": nn.LeakyReLU(-0.3),
    "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "hardswish": nn.Hardswish(), "hardsigmoid": nn.Hardsigmoid(),
    "silu": nn.SiLU(), "swish": nn.SiLU(), "gelu": nn.GELU(), "gelu tanh": nn.GELU(approximate="tanh"),
    "mish": nn.Mish(), "elu": nn.ELU(), "elu 0.7": nn.ELU(alpha=0.7), "selu": nn.SELU(),
    "softplus": nn.Softplus(), "softplus beta=2 threshold=5": nn.Softplus(beta=2, threshold=5),
    "softplus beta=0.5": nn.Softplus(beta=0.5),
}


def main():
    special = [0.0, -0.0, 1e-38, -1e-38, 1e-8, -1e-8, 1e-4, -1e-4, 0.5, -0.5, 1, -1, 2.5, -2.5, 3, -3,
               5, -5, 10, -10, 19.99, 20, 20.01, -20, 40, -40, 87, -87, 88.8, -88.8, 89, -89, 100, -100,
               1e4, -1e4, 1e30, -1e30]
    grid = torch.linspace(-12, 12, 481).tolist()
    gen = torch.Generator().manual_seed(7)
    rand = (torch.randn(500, generator=gen) * 6).tolist()
    x = torch.tensor(special + grid + rand, dtype=torch.float32)
    out = {"input": x}
    with torch.no_grad():
        for text, mod in LAYERS.items():
            out[text] = mod(x.clone())
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "parity",
                        "activation_values.safetensors")
    save_file(out, path, metadata={"torch": torch.__version__})
    print(f"wrote {len(LAYERS)} activations at {x.numel()} inputs to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
