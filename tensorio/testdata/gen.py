# Generates the test files made by PyTorch and numpy. Run with Debian's
# interpreter, which has both: cd tensorio/testdata && /usr/bin/python3 gen.py
#
# safetensors is not installed, so torch.safetensors files are written here the
# way huggingface/safetensors' serialize() writes them: tensors sorted by
# descending dtype (its enum order) then name, compact JSON, the header padded
# with spaces to a multiple of 8 bytes.
import json
import struct

import numpy as np
import torch

torch.manual_seed(0)

# ---- safetensors: a small conv + BatchNorm state dict with mixed dtypes ----
model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2))
model.train()
model(torch.randn(4, 1, 5, 5))  # moves running stats, num_batches_tracked = 1
sd = dict(model.state_dict())
sd["extra.half"] = torch.tensor([1.0, -2.5, 65504.0, 6e-8, 1e-5, float("inf")], dtype=torch.float16)
sd["extra.bf16"] = torch.tensor([[1.0, -3.140625], [1e-39, -float("inf")]], dtype=torch.bfloat16)
sd["extra.double"] = torch.tensor([0.1, -1e30, 5e-324], dtype=torch.float64)
sd["extra.empty"] = torch.zeros(0, 3)

ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
         "I32", "U32", "F32", "F64", "I64", "U64"]
DT = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
      torch.float64: "F64", torch.int64: "I64"}


def raw(t):
    if t.dtype == torch.bfloat16:
        return t.contiguous().view(torch.int16).numpy().astype("<i2").tobytes()
    return t.contiguous().numpy().newbyteorder("<").tobytes() if t.numel() else b""


items = sorted(sd.items(), key=lambda kv: (-ORDER.index(DT[kv[1].dtype]), kv[0]))
header, data, off = {"__metadata__": {"format": "pt"}}, b"", 0
for name, t in items:
    b = raw(t)
    header[name] = {"dtype": DT[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
    data += b
    off += len(b)
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open("torch.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + data)

# What tensorio must read: every float tensor as float32 (numpy's conversions are exact).
want = {}
for name, t in items:
    if t.dtype == torch.int64:
        continue
    v = t.float().numpy().astype(np.float32)
    want[name] = {"shape": list(t.shape), "values": [repr(float(x)) for x in v.ravel()]}
with open("torch.safetensors.json", "w") as f:
    json.dump({"order": [n for n, _ in items], "want": want}, f, indent=1)

# ---- npy ----
a = np.arange(12, dtype="<f4").reshape(3, 4) / 7
np.save("f4_3x4.npy", a)
np.save("f4_scalar.npy", np.float32(2.5))
np.save("f4_empty.npy", np.zeros((0, 3), dtype="<f4"))
np.save("f4_big_endian.npy", a.astype(">f4"))
np.save("f8.npy", a.astype("<f8"))
np.save("i8.npy", np.arange(6, dtype="<i8"))
np.save("bool.npy", np.array([True, False]))
np.save("fortran.npy", np.asfortranarray(a))
np.save("object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
np.save("structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
for v in [(2, 0), (3, 0)]:
    with open("f4_v%d.npy" % v[0], "wb") as f:
        np.lib.format.write_array(f, a, version=v)

# ---- images, and what PIL + torchvision make of them ----
# Expected values: Image.open(f).convert(mode).resize((w, h), BILINEAR), then
# ToTensor (/255, C×H×W), saved as want_<image>_<c>x<h>x<w>.npy.
from PIL import Image

rng = np.random.default_rng(0)
yy, xx = np.mgrid[0:30, 0:40]
rgb = np.stack([xx * 6, yy * 8, (xx + yy) * 3], -1) + rng.integers(0, 40, (30, 40, 3))
rgb = np.clip(rgb, 0, 255).astype(np.uint8)
Image.fromarray(rgb, "RGB").save("rgb8.png")
Image.fromarray(rgb[:, :, 1], "L").save("gray8.png")
rgba = np.concatenate([rgb, rng.integers(0, 256, (30, 40, 1)).astype(np.uint8)], -1)
rgba[0, :4, 3] = 0  # fully transparent pixels keep their colour
Image.fromarray(rgba, "RGBA").save("rgba8.png")
pal = Image.fromarray(rgb, "RGB").quantize(16)
pal.info["transparency"] = 3
pal.save("paletted.png", transparency=3)
Image.fromarray(rgb, "RGB").save("rgb.jpg", quality=95)
Image.fromarray(rgb[:, :, 0], "L").save("gray.jpg", quality=95)
for name, sub in [("odd420.jpg", 2), ("odd422.jpg", 1), ("odd444.jpg", 0)]:
    Image.fromarray(rgb[:29, :39], "RGB").save(name, quality=90, subsampling=sub)
Image.fromarray(rgb, "RGB").quantize(64).save("frame.gif")
Image.fromarray(rgb, "RGB").save("rgb.bmp")

for f, c, h, w in [("gray8.png", 1, 30, 40), ("rgb8.png", 1, 30, 40), ("rgb8.png", 3, 30, 40),
                   ("rgba8.png", 3, 30, 40), ("rgba8.png", 1, 30, 40), ("paletted.png", 3, 30, 40),
                   ("gray8.png", 3, 30, 40), ("frame.gif", 3, 30, 40), ("rgb.bmp", 3, 30, 40),
                   ("rgb8.png", 3, 13, 17), ("rgb8.png", 1, 13, 17), ("rgb8.png", 3, 50, 64),
                   ("gray8.png", 1, 224, 224), ("rgb.jpg", 3, 30, 40), ("gray.jpg", 1, 30, 40),
                   ("rgb.jpg", 3, 12, 12), ("odd420.jpg", 3, 29, 39), ("odd422.jpg", 3, 29, 39),
                   ("odd444.jpg", 3, 29, 39), ("odd420.jpg", 1, 29, 39)]:
    im = Image.open(f).convert("L" if c == 1 else "RGB")
    if im.size != (w, h):
        im = im.resize((w, h), Image.BILINEAR)
    a = np.asarray(im, dtype=np.float32) / 255
    a = a[None] if c == 1 else a.transpose(2, 0, 1)
    np.save("want_%s_%dx%dx%d.npy" % (f.replace(".", "_"), c, h, w), np.ascontiguousarray(a, dtype="<f4"))
