"""Train the seed's LeNet-5 on FashionMNIST and write the files cnnc ships with it.

Data: Debian's dataset-fashion-mnist IDX files (/usr/share/datasets/fashion-mnist/), read
with gzip + numpy. Inputs are scaled to [0, 1], then normalised with mean 0.2860 and std
0.3530, the values models/lenet5.cnn declares, so `cnnc run` prepares images the same way.
Adam (lr 1e-2, cosine decay to 0 over 20 epochs), batch 128, a fixed seed, one thread;
reports test top-1 after every epoch.

Writes
  models/weights/lenet5.safetensors   state_dict c1.weight .. f7.bias (F32)
  models/labels/fashion-mnist.txt     the 10 class names, one per line
  testdata/images/<k>-<name>.png      one 28x28 grayscale test image per class, the first
                                      of its class (in test-set order) the model gets right
  testdata/images/README.md           where the images come from (test-set indices)

  /usr/bin/python3 tools/train_lenet5.py       # 20 epochs: ~5 minutes on an idle core
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_lite import save_file  # noqa: E402
from torch_models import LeNet5, state_entries  # noqa: E402

MEAN, STD = 0.2860, 0.3530
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
           "Ankle boot"]
SLUGS = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankleboot"]


def read_idx(path):
    """An IDX file (gzip) as a numpy array: magic 0x08 (ubyte), ndim, big-endian dims, data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = raw[3]
    dims = np.frombuffer(raw, dtype=">u4", count=ndim, offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(tuple(int(d) for d in dims))


def load(data_dir, split):
    images = read_idx(os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz"))
    return images, labels


def to_input(images):
    """uint8 [N, 28, 28] -> normalised float [N, 1, 28, 28], as cnnc prepares a grayscale image."""
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return (x - MEAN) / STD


def predict(model, x, batch=1000):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(x[i:i + batch]).argmax(1) for i in range(0, len(x), batch)])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist", help="directory of the IDX .gz files")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (default 1: on a shared 2-core machine OpenMP's second thread "
                         "made a step slower, not faster)")
    ap.add_argument("--root", default=".", help="repository root to write into (default .)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    train_img, train_lab = load(args.data, "train")
    test_img, test_lab = load(args.data, "t10k")
    xtr, ytr = to_input(train_img), torch.from_numpy(train_lab.astype(np.int64))
    xte, yte = to_input(test_img), torch.from_numpy(test_lab.astype(np.int64))
    print(f"train {tuple(xtr.shape)}, test {tuple(xte.shape)}; pixel mean {train_img.mean() / 255:.4f} "
          f"std {train_img.std() / 255:.4f} (lenet5.cnn declares {MEAN}, {STD})")

    model = LeNet5()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)  # decays to 0 by the end
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)
    t0, c0 = time.time(), time.process_time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        total = 0.0
        for i in range(0, len(xtr), args.batch):
            idx = perm[i:i + args.batch]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        acc = (predict(model, xte) == yte).float().mean().item()
        print(f"epoch {epoch:2d}  loss {total / len(xtr):.4f}  test top-1 {100 * acc:.2f}%  {time.time() - t0:.0f}s")
    train_time, cpu_time = time.time() - t0, time.process_time() - c0

    pred = predict(model, xte)
    acc = (pred == yte).float().mean().item()
    root = args.root
    os.makedirs(os.path.join(root, "models/weights"), exist_ok=True)
    save_file(dict(state_entries(model)), os.path.join(root, "models/weights/lenet5.safetensors"), {
        "model": "lenet5", "dataset": "FashionMNIST", "test_top1": f"{acc:.4f}", "epochs": str(args.epochs),
        "optimizer": f"Adam lr {args.lr} cosine to 0, batch {args.batch}", "seed": str(args.seed),
        "normalisation": f"x/255, mean {MEAN}, std {STD}", "generator": "tools/train_lenet5.py"})
    os.makedirs(os.path.join(root, "models/labels"), exist_ok=True)
    with open(os.path.join(root, "models/labels/fashion-mnist.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")

    img_dir = os.path.join(root, "testdata/images")
    os.makedirs(img_dir, exist_ok=True)
    probs = torch.softmax(model.eval()(xte), 1).detach()
    rows = []
    for k, slug in enumerate(SLUGS):
        i = next(i for i in range(len(yte)) if yte[i] == k and pred[i] == k)
        name = f"{k}-{slug}.png"
        Image.fromarray(test_img[i], mode="L").save(os.path.join(img_dir, name))
        rows.append(f"| `{name}` | {i} | {CLASSES[k]} | {100 * probs[i, k]:.1f}% |")
    with open(os.path.join(img_dir, "README.md"), "w") as f:
        f.write(f"""# Test images

Ten 28x28 8-bit grayscale PNGs from the FashionMNIST **test set** (`t10k-images-idx3-ubyte.gz`
of Debian's dataset-fashion-mnist, /usr/share/datasets/fashion-mnist/), one per class: for
class k, the first test image (in file order) of class k that the trained LeNet-5
(models/weights/lenet5.safetensors, {100 * acc:.2f}% test top-1) classifies correctly. The
pixels are the dataset's, unchanged (0 = background). Written by tools/train_lenet5.py.

| file | test index | class | LeNet-5 probability |
|---|---|---|---|
""" + "\n".join(rows) + "\n")
    print(f"test top-1 {100 * acc:.2f}% after {args.epochs} epochs: {train_time:.0f}s of training "
          f"({cpu_time:.0f}s of CPU time)")


if __name__ == "__main__":
    main()
