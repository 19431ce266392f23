"""PyTorch definitions of every model cnnc ships, with the state_dict keys `cnnc params` prints.

Two families:
  * the seed's models (docs/cnn-notes): LeNet-5, AlexNet, VGG-16, GoogLeNet (1 channel,
    10 classes) and ResNet-18 in torchvision's layout with a 1-channel conv1 and 10 classes;
  * torchvision 0.14's alexnet, vgg16, googlenet (no aux heads), resnet18, resnet50.

Every class takes its widths as arguments, so the reduced models of
testdata/parity/*.cnn are built by the same code as the full-size ones.
The full-size torchvision models come from torchvision.models itself.

REGISTRY maps a short, file-unique name to its .cnn file, constructor and input shape.
Import it from other scripts:  sys.path.insert(0, "tools"); import torch_models
"""
import copy

import torch
import torchvision
from torch import nn
from torchvision.models.googlenet import BasicConv2d, Inception as TVInception
from torchvision.models.resnet import BasicBlock, Bottleneck


# --------------------------------------------------------------------------- seed models

class LeNet5(nn.Module):
    """The seed's LeNet-5 for FashionMNIST: sigmoid activations, average pooling, 1x28x28."""

    def __init__(self, in_channels=1, num_classes=10):
        super().__init__()
        self.sig = nn.Sigmoid()
        self.c1 = nn.Conv2d(in_channels, 6, kernel_size=5, padding=2)
        self.s2 = nn.AvgPool2d(kernel_size=2, stride=2)
        self.c3 = nn.Conv2d(6, 16, kernel_size=5)
        self.s4 = nn.AvgPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.f5 = nn.Linear(16 * 5 * 5, 120)
        self.f6 = nn.Linear(120, 84)
        self.f7 = nn.Linear(84, num_classes)

    def forward(self, x):
        x = self.s2(self.sig(self.c1(x)))
        x = self.s4(self.sig(self.c3(x)))
        x = self.flatten(x)
        x = self.sig(self.f5(x))
        x = self.sig(self.f6(x))
        return self.f7(x)


class AlexNet(nn.Module):
    """The seed's AlexNet (c1 .. f3) on 1x227x227; dropout is nn.Dropout, off in eval mode."""

    def __init__(self, widths=(96, 256, 384, 384, 256), hidden=4096, in_channels=1, num_classes=10):
        super().__init__()
        w1, w3, w5, w6, w7 = widths
        self.relu = nn.ReLU()
        self.c1 = nn.Conv2d(in_channels, w1, kernel_size=11, stride=4)
        self.s2 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.c3 = nn.Conv2d(w1, w3, kernel_size=5, padding=2)
        self.s4 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.c5 = nn.Conv2d(w3, w5, kernel_size=3, padding=1)
        self.c6 = nn.Conv2d(w5, w6, kernel_size=3, padding=1)
        self.c7 = nn.Conv2d(w6, w7, kernel_size=3, padding=1)
        self.s8 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.flatten = nn.Flatten()
        self.f1 = nn.Linear(6 * 6 * w7, hidden)
        self.f2 = nn.Linear(hidden, hidden)
        self.f3 = nn.Linear(hidden, num_classes)
        self.dropout = nn.Dropout(0.5)  # the seed's F.dropout(x, 0.5) ignored eval mode

    def forward(self, x):
        x = self.s2(self.relu(self.c1(x)))
        x = self.s4(self.relu(self.c3(x)))
        x = self.relu(self.c5(x))
        x = self.relu(self.c6(x))
        x = self.s8(self.relu(self.c7(x)))
        x = self.flatten(x)
        x = self.dropout(self.relu(self.f1(x)))
        x = self.dropout(self.relu(self.f2(x)))
        return self.f3(x)


def _vgg_block(in_c, c, n):
    layers = []
    for _ in range(n):
        layers += [nn.Conv2d(in_c, c, kernel_size=3, padding=1, stride=1), nn.ReLU()]
        in_c = c
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


class VGG16(nn.Module):
    """The seed's VGG-16 (block1 .. block6, no adaptive pool, no dropout), Kaiming init.

    feat_hw is the side of the last feature map: 7 on 224x224, 2 on 64x64.
    """

    def __init__(self, widths=(64, 128, 256, 512, 512), hidden=4096, feat_hw=7, in_channels=1, num_classes=10):
        super().__init__()
        counts = (2, 2, 3, 3, 3)
        in_c = in_channels
        for i, (c, n) in enumerate(zip(widths, counts), start=1):
            setattr(self, f"block{i}", _vgg_block(in_c, c, n))
            in_c = c
        self.block6 = nn.Sequential(
            nn.Flatten(),
            nn.Linear(feat_hw * feat_hw * in_c, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, num_classes),
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        for i in range(1, 7):
            x = getattr(self, f"block{i}")(x)
        return x


class Inception(nn.Module):
    """The seed's Inception: paths p1, p2_1/p2_2, p3_1/p3_2 (5x5), p4_1 (pool)/p4_2, on channels."""

    def __init__(self, in_channels, c1, c2, c3, c4):
        super().__init__()
        self.relu = nn.ReLU()
        self.p1 = nn.Conv2d(in_channels, c1, kernel_size=1)
        self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        self.p4_1 = nn.MaxPool2d(kernel_size=3, padding=1, stride=1)
        self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)
        self.out_channels = c1 + c2[1] + c3[1] + c4

    def forward(self, x):
        p1 = self.relu(self.p1(x))
        p2 = self.relu(self.p2_2(self.relu(self.p2_1(x))))
        p3 = self.relu(self.p3_2(self.relu(self.p3_1(x))))
        p4 = self.relu(self.p4_2(self.p4_1(x)))
        return torch.cat((p1, p2, p3, p4), dim=1)


# (c1, (c2 reduce, c2), (c3 reduce, c3), c4) per Inception, as the .cnn files write them.
GOOGLENET_CFG = {
    "b3": [(64, (96, 128), (16, 32), 32), (128, (128, 192), (32, 96), 64)],
    "b4": [(192, (96, 208), (16, 48), 64), (160, (112, 224), (24, 64), 64), (128, (128, 256), (24, 64), 64),
           (112, (128, 288), (32, 64), 64), (256, (160, 320), (32, 128), 128)],
    "b5": [(256, (160, 320), (32, 128), 128), (384, (192, 384), (48, 128), 128)],
}
GOOGLENET_SMALL_CFG = {
    "b3": [(8, (12, 16), (2, 4), 4), (16, (16, 24), (4, 12), 8)],
    "b4": [(24, (12, 26), (2, 6), 8), (20, (14, 28), (3, 8), 8), (16, (16, 32), (3, 8), 8),
           (14, (16, 36), (4, 8), 8), (32, (20, 40), (4, 16), 16)],
    "b5": [(32, (20, 40), (4, 16), 16), (48, (24, 48), (6, 16), 16)],
}


class GoogLeNet(nn.Module):
    """The seed's GoogLeNet (b1 .. b5) on 1x224x224; stem = widths of b1's and b2's convs."""

    def __init__(self, stem=(64, 64, 192), cfg=GOOGLENET_CFG, in_channels=1, num_classes=10):
        super().__init__()
        s1, s2a, s2b = stem
        self.b1 = nn.Sequential(
            nn.Conv2d(in_channels, s1, kernel_size=7, stride=2, padding=3), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, padding=1, stride=2))
        self.b2 = nn.Sequential(
            nn.Conv2d(s1, s2a, kernel_size=1), nn.ReLU(),
            nn.Conv2d(s2a, s2b, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, padding=1, stride=2))
        c = s2b
        blocks = {}
        for name in ("b3", "b4", "b5"):
            mods = []
            for args in cfg[name]:
                mods.append(Inception(c, *args))
                c = mods[-1].out_channels
            blocks[name] = mods
        pool = lambda: nn.MaxPool2d(kernel_size=3, padding=1, stride=2)  # noqa: E731
        self.b3 = nn.Sequential(*blocks["b3"], pool())
        self.b4 = nn.Sequential(*blocks["b4"], pool())
        self.b5 = nn.Sequential(*blocks["b5"], nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(c, num_classes))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return self.b5(self.b4(self.b3(self.b2(self.b1(x)))))


# ------------------------------------------------------------- torchvision-layout models

class ResNet(nn.Module):
    """torchvision's ResNet with its module names (conv1, bn1, layerN.M..., fc), widths free.

    Uses torchvision's own BasicBlock / Bottleneck; widths are the planes of layer1..layer4
    (the stem has widths[0] channels, as torchvision's 64).
    """

    def __init__(self, block, layers, widths=(64, 128, 256, 512), in_channels=3, num_classes=1000):
        super().__init__()
        self.inplanes = widths[0]
        self.conv1 = nn.Conv2d(in_channels, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        for i, (planes, n) in enumerate(zip(widths, layers)):
            setattr(self, f"layer{i + 1}", self._make_layer(block, planes, n, stride=1 if i == 0 else 2))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3] * block.expansion, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _make_layer(self, block, planes, n, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion))
        blocks = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        blocks += [block(self.inplanes, planes) for _ in range(1, n)]
        return nn.Sequential(*blocks)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class TVAlexNet(nn.Module):
    """torchvision's AlexNet (features, avgpool 6x6, classifier) with free widths."""

    def __init__(self, widths=(64, 192, 384, 256, 256), hidden=4096, in_channels=3, num_classes=1000, dropout=0.5):
        super().__init__()
        a, b, c, d, e = widths
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, a, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(a, b, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(b, c, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(c, d, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(d, e, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(e * 6 * 6, hidden), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(hidden, hidden), nn.ReLU(inplace=True),
            nn.Linear(hidden, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class TVVGG16(nn.Module):
    """torchvision's VGG-16 (configuration D: features, avgpool 7x7, classifier), free widths."""

    def __init__(self, widths=(64, 128, 256, 512, 512), hidden=4096, in_channels=3, num_classes=1000, dropout=0.5):
        super().__init__()
        layers, in_c = [], in_channels
        for c, n in zip(widths, (2, 2, 3, 3, 3)):
            for _ in range(n):
                layers += [nn.Conv2d(in_c, c, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
                in_c = c
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(in_c * 7 * 7, hidden), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(hidden, num_classes))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


# (c1, (c2 reduce, c2), (c3 reduce, c3), c4) per torchvision Inception, 3a .. 5b.
TV_GOOGLENET_CFG = [
    (64, (96, 128), (16, 32), 32), (128, (128, 192), (32, 96), 64),
    (192, (96, 208), (16, 48), 64), (160, (112, 224), (24, 64), 64), (128, (128, 256), (24, 64), 64),
    (112, (144, 288), (32, 64), 64), (256, (160, 320), (32, 128), 128),
    (256, (160, 320), (32, 128), 128), (384, (192, 384), (48, 128), 128),
]
TV_GOOGLENET_SMALL_CFG = [
    (8, (12, 16), (2, 4), 4), (16, (16, 24), (4, 12), 8),
    (24, (12, 26), (2, 6), 8), (20, (14, 28), (3, 8), 8), (16, (16, 32), (3, 8), 8),
    (14, (18, 36), (4, 8), 8), (32, (20, 40), (4, 16), 16),
    (32, (20, 40), (4, 16), 16), (48, (24, 48), (6, 16), 16),
]


class TVGoogLeNet(nn.Module):
    """torchvision's GoogLeNet without aux heads (aux_logits=False, transform_input=False), free widths.

    Built from torchvision's own BasicConv2d (conv+BN eps 0.001+ReLU) and Inception.
    """

    def __init__(self, stem=(64, 64, 192), cfg=TV_GOOGLENET_CFG, in_channels=3, num_classes=1000, dropout=0.2):
        super().__init__()
        s1, s2, s3 = stem
        self.conv1 = BasicConv2d(in_channels, s1, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(s1, s2, kernel_size=1)
        self.conv3 = BasicConv2d(s2, s3, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        c = s3
        names = ["3a", "3b", "maxpool3", "4a", "4b", "4c", "4d", "4e", "maxpool4", "5a", "5b"]
        it = iter(cfg)
        for n in names:
            if n == "maxpool3":
                self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
            elif n == "maxpool4":
                self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
            else:
                c1, (c2r, c2), (c3r, c3), c4 = next(it)
                setattr(self, "inception" + n, TVInception(c, c1, c2r, c2, c3r, c3, c4))
                c = c1 + c2 + c3 + c4
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(c, num_classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                torch.nn.init.trunc_normal_(m.weight, mean=0.0, std=0.01, a=-2, b=2)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        for n in ("4a", "4b", "4c", "4d", "4e"):
            x = getattr(self, "inception" + n)(x)
        x = self.inception5b(self.inception5a(self.maxpool4(x)))
        return self.fc(self.dropout(torch.flatten(self.avgpool(x), 1)))


# ----------------------------------------------------------------------- activations

class Activations(nn.Module):
    """testdata/parity/activations_small.cnn: every activation twice, after a convolution
    and after a max pool, then a dense head over every pixel with log-softmax."""

    STAGES = [
        (nn.ReLU6(), nn.Hardtanh(-0.5, 2)), (nn.Hardtanh(), nn.ReLU6()),
        (nn.Hardswish(), nn.Hardsigmoid()), (nn.Hardsigmoid(), nn.Hardswish()),
        (nn.SiLU(), nn.SiLU()), (nn.GELU(), nn.GELU(approximate="tanh")),
        (nn.GELU(approximate="tanh"), nn.GELU()), (nn.Mish(), nn.Mish()),
        (nn.ELU(), nn.ELU(alpha=0.7)), (nn.SELU(), nn.SELU()),
        (nn.Softplus(), nn.Softplus(beta=2, threshold=1)), (nn.LeakyReLU(0.2), nn.LeakyReLU(-0.3)),
        (nn.PReLU(8), nn.PReLU()), (nn.Sigmoid(), nn.Tanh()),
    ]

    def __init__(self, in_channels=3, width=8, num_classes=10):
        super().__init__()
        c = in_channels
        for name, (a1, a2) in zip("abcdefghijklmn", self.STAGES):
            setattr(self, name, nn.Sequential(nn.Conv2d(c, width, 3, padding=1), copy.deepcopy(a1),
                                              nn.MaxPool2d(3, 1, 1), copy.deepcopy(a2)))
            c = width
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(c * 16 * 16, num_classes), nn.LogSoftmax(dim=1))
        # PReLU's slopes start at 0.25 everywhere: spread them, so that a slope
        # read from the wrong channel changes the output.
        with torch.no_grad():
            for m in self.modules():
                if isinstance(m, nn.PReLU):
                    m.weight.copy_(torch.linspace(-0.5, 0.8, m.weight.numel()))

    def forward(self, x):
        for name in "abcdefghijklmn":
            x = getattr(self, name)(x)
        return self.head(x)


# ---------------------------------------------------------------------------- registry

def _tv(name, **kw):
    return lambda: getattr(torchvision.models, name)(weights=None, **kw)


class Entry:
    """One cnnc model file: its PyTorch constructor and input shape (C, H, W)."""

    def __init__(self, cnn, build, input_shape, full_size):
        self.cnn, self.build, self.input_shape, self.full_size = cnn, build, input_shape, full_size


REGISTRY = {
    # the seed's models, full size
    "lenet5": Entry("models/lenet5.cnn", LeNet5, (1, 28, 28), False),  # tiny: fixtures committed
    "alexnet": Entry("models/alexnet.cnn", AlexNet, (1, 227, 227), True),
    "vgg16": Entry("models/vgg16.cnn", VGG16, (1, 224, 224), True),
    "googlenet": Entry("models/googlenet.cnn", GoogLeNet, (1, 224, 224), True),
    "resnet18": Entry("models/resnet18.cnn", lambda: ResNet(BasicBlock, [2, 2, 2, 2], in_channels=1, num_classes=10),
                      (1, 224, 224), True),
    # torchvision 0.14, full size, from torchvision.models
    "torchvision_alexnet": Entry("models/torchvision/alexnet.cnn", _tv("alexnet"), (3, 224, 224), True),
    "torchvision_vgg16": Entry("models/torchvision/vgg16.cnn", _tv("vgg16"), (3, 224, 224), True),
    "torchvision_googlenet": Entry("models/torchvision/googlenet.cnn",
                                   _tv("googlenet", aux_logits=False, init_weights=True, transform_input=False),
                                   (3, 224, 224), True),
    "torchvision_resnet18": Entry("models/torchvision/resnet18.cnn", _tv("resnet18"), (3, 224, 224), True),
    "torchvision_resnet50": Entry("models/torchvision/resnet50.cnn", _tv("resnet50"), (3, 224, 224), True),
    # reduced widths for the committed parity fixtures (testdata/parity/*.cnn)
    "alexnet_small": Entry("testdata/parity/alexnet_small.cnn",
                           lambda: AlexNet(widths=(6, 16, 24, 24, 16), hidden=64), (1, 227, 227), False),
    "vgg16_small": Entry("testdata/parity/vgg16_small.cnn",
                         lambda: VGG16(widths=(8, 16, 32, 64, 64), hidden=64, feat_hw=2), (1, 64, 64), False),
    "googlenet_small": Entry("testdata/parity/googlenet_small.cnn",
                             lambda: GoogLeNet(stem=(8, 8, 24), cfg=GOOGLENET_SMALL_CFG), (1, 96, 96), False),
    "resnet18_small": Entry("testdata/parity/resnet18_small.cnn",
                            lambda: ResNet(BasicBlock, [2, 2, 2, 2], widths=(8, 16, 32, 64), in_channels=1,
                                           num_classes=10), (1, 64, 64), False),
    "alexnet_tv_small": Entry("testdata/parity/alexnet_tv_small.cnn",
                              lambda: TVAlexNet(widths=(4, 12, 24, 16, 16), hidden=64, num_classes=10),
                              (3, 224, 224), False),
    "vgg16_tv_small": Entry("testdata/parity/vgg16_tv_small.cnn",
                            lambda: TVVGG16(widths=(8, 16, 32, 64, 64), hidden=64, num_classes=10),
                            (3, 64, 64), False),
    "googlenet_tv_small": Entry("testdata/parity/googlenet_tv_small.cnn",
                                lambda: TVGoogLeNet(stem=(8, 8, 24), cfg=TV_GOOGLENET_SMALL_CFG, num_classes=10),
                                (3, 96, 96), False),
    "activations_small": Entry("testdata/parity/activations_small.cnn", Activations, (3, 16, 16), False),
    "resnet50_tv_small": Entry("testdata/parity/resnet50_tv_small.cnn",
                               lambda: ResNet(Bottleneck, [3, 4, 6, 3], widths=(8, 16, 32, 64), num_classes=10),
                               (3, 64, 64), False),
}

# The parameter totals FACTS.md records for the full-size models.
EXPECTED_PARAMS = {
    "lenet5": 61_706, "alexnet": 58_299_082, "vgg16": 134_300_362, "googlenet": 5_927_850,
    "resnet18": 11_175_370, "torchvision_alexnet": 61_100_840, "torchvision_vgg16": 138_357_544,
    "torchvision_googlenet": 6_624_904, "torchvision_resnet18": 11_689_512, "torchvision_resnet50": 25_557_032,
}


def state_entries(model):
    """(key, tensor) pairs of a model's state_dict in order, without num_batches_tracked."""
    return [(k, v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]


def build(name):
    """Construct the registry model `name` (in eval mode)."""
    return REGISTRY[name].build().eval()
