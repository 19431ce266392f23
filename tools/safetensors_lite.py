"""A tiny safetensors reader and writer for F32 tensors (no `safetensors` package needed).

Format: an 8-byte little-endian header length N, then N bytes of JSON
{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
 "__metadata__": {"key": "string", ...}} padded with spaces to a multiple of 8,
then the raw little-endian data, tensors in the order given.
"""
import json
import struct

import numpy as np
import torch


def save_file(tensors, path, metadata=None):
    """Write an ordered mapping name -> tensor (any float dtype) as F32 safetensors."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        if isinstance(t, torch.Tensor):
            t = t.detach().cpu().to(torch.float32).contiguous().numpy()
        a = np.ascontiguousarray(np.asarray(t, dtype="<f4"))
        data = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for data in blobs:
            f.write(data)


def load_file(path):
    """Read an F32 safetensors file: returns (dict name -> torch.Tensor in file order, metadata)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
        body = f.read()
    metadata = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} has dtype {info['dtype']}, only F32 is supported")
        b, e = info["data_offsets"]
        a = np.frombuffer(body[b:e], dtype="<f4").reshape(info["shape"])
        out[name] = torch.from_numpy(a.copy())
    return out, metadata
