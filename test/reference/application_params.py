"""Exact parameter counts (total, trainable) of Keras 3's applications, computed from Keras's source
(keras/src/applications/*.py) layer by layer with each layer's weight formula, in plain Python: no
TensorFlow here. Each function below follows its Keras builder line for line, tracking only channels.
Weights per layer, as Keras creates them:
  Conv2D: kh*kw*(cin/groups)*cout (+ cout bias); DepthwiseConv2D: kh*kw*c*mult (+ bias); Dense: cin*cout + cout;
  BatchNormalization: gamma, beta trainable + moving mean, variance non-trainable (4c);
  LayerNormalization: 2c; LayerScale: c; Normalization: mean, variance, count non-trainable (2c + 1) when
  adapted, none when mean and variance are given (Keras 3).
Run `python3 test/reference/application_params.py`; the test/applications/*.test.ts files hold the output.
"""
import math


class Count:
    def __init__(self):
        self.trainable = 0
        self.frozen = 0

    def conv(self, cin, cout, k, bias=True, groups=1):
        self.trainable += k * k * (cin // groups) * cout + (cout if bias else 0)
        return cout

    def dw(self, c, k, mult=1, bias=False):
        self.trainable += k * k * c * mult + (c * mult if bias else 0)
        return c * mult

    def bn(self, c):
        self.trainable += 2 * c
        self.frozen += 2 * c
        return c

    def ln(self, c):
        self.trainable += 2 * c
        return c

    def dense(self, cin, cout):
        self.trainable += cin * cout + cout
        return cout

    def adapted_norm(self, c):
        self.frozen += 2 * c + 1

    def total(self):
        return (self.trainable + self.frozen, self.trainable)


def make_divisible(v, divisor=8, min_value=None):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def mobilenet(alpha=1.0, depth_multiplier=1, include_top=True, classes=1000):
    n = Count()
    c = n.bn(n.conv(3, int(32 * alpha), 3, bias=False))
    for f in [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024]:
        c = n.bn(n.dw(c, 3, depth_multiplier))
        c = n.bn(n.conv(c, int(f * alpha), 1, bias=False))
    if include_top:
        n.conv(c, classes, 1)  # conv_preds
    return n.total()


def mobilenet_v2(alpha=1.0, include_top=True, classes=1000):
    n = Count()
    c = n.bn(n.conv(3, make_divisible(32 * alpha, 8), 3, bias=False))
    blocks = [(16, 1), (24, 6), (24, 6), (32, 6), (32, 6), (32, 6), (64, 6), (64, 6), (64, 6), (64, 6),
              (96, 6), (96, 6), (96, 6), (160, 6), (160, 6), (160, 6), (320, 6)]
    for block_id, (filters, expansion) in enumerate(blocks):
        x = c
        if block_id:
            x = n.bn(n.conv(x, expansion * c, 1, bias=False))
        x = n.bn(n.dw(x, 3))
        c = n.bn(n.conv(x, make_divisible(int(filters * alpha), 8), 1, bias=False))
    last = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    c = n.bn(n.conv(c, last, 1, bias=False))
    if include_top:
        n.dense(c, classes)
    return n.total()


def mobilenet_v3(small, alpha=1.0, minimalistic=False, include_top=True, classes=1000):
    n = Count()
    kernel = 3 if minimalistic else 5
    se_ratio = None if minimalistic else 0.25
    c = n.bn(n.conv(3, 16, 3, bias=False))
    if small:
        spec = [(1, 16, 3, True), (72 / 16, 24, 3, False), (88 / 24, 24, 3, False), (4, 40, kernel, True), (6, 40, kernel, True),
                (6, 40, kernel, True), (3, 48, kernel, True), (3, 48, kernel, True), (6, 96, kernel, True), (6, 96, kernel, True),
                (6, 96, kernel, True)]
        last_point = 1024
    else:
        spec = [(1, 16, 3, False), (4, 24, 3, False), (3, 24, 3, False), (3, 40, kernel, True), (3, 40, kernel, True),
                (3, 40, kernel, True), (6, 80, 3, False), (2.5, 80, 3, False), (2.3, 80, 3, False), (2.3, 80, 3, False),
                (6, 112, 3, True), (6, 112, 3, True), (6, 160, kernel, True), (6, 160, kernel, True), (6, 160, kernel, True)]
        last_point = 1280
    for block_id, (expansion, filters, k, se) in enumerate(spec):
        x = c
        if block_id:
            x = n.bn(n.conv(x, make_divisible(c * expansion), 1, bias=False))
        x = n.bn(n.dw(x, k))
        if se and se_ratio:
            f = make_divisible(c * expansion)
            n.conv(f, make_divisible(f * se_ratio), 1)
            n.conv(make_divisible(f * se_ratio), f, 1)
        c = n.bn(n.conv(x, make_divisible(filters * alpha), 1, bias=False))
    last_conv = make_divisible(c * 6)
    if alpha > 1.0:
        last_point = make_divisible(last_point * alpha)
    c = n.bn(n.conv(c, last_conv, 1, bias=False))
    if include_top:
        c = n.conv(c, last_point, 1)
        n.conv(c, classes, 1)
    return n.total()


EFFICIENTNET_BLOCKS = [(3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
                       (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1)]


def efficientnet(width, depth, include_top=True, classes=1000):
    n = Count()

    def round_filters(f, divisor=8):
        f *= width
        new = max(divisor, int(f + divisor / 2) // divisor * divisor)
        if new < 0.9 * f:
            new += divisor
        return int(new)

    n.adapted_norm(3)
    c = n.bn(n.conv(3, round_filters(32), 3, bias=False))
    for k, repeats, fin, fout, expand, strides in EFFICIENTNET_BLOCKS:
        fin, fout = round_filters(fin), round_filters(fout)
        for j in range(int(math.ceil(depth * repeats))):
            if j > 0:
                fin = fout
            filters = fin * expand
            x = c
            if expand != 1:
                x = n.bn(n.conv(x, filters, 1, bias=False))
            x = n.bn(n.dw(x, k))
            se = max(1, int(fin * 0.25))
            n.conv(filters, se, 1)
            n.conv(se, filters, 1)
            c = n.bn(n.conv(x, fout, 1, bias=False))
    c = n.bn(n.conv(c, round_filters(1280), 1, bias=False))
    if include_top:
        n.dense(c, classes)
    return n.total()


V2_B = [(3, 1, 32, 16, 1, 0, 1), (3, 2, 16, 32, 4, 0, 1), (3, 2, 32, 48, 4, 0, 1), (3, 3, 48, 96, 4, 0.25, 0),
        (3, 5, 96, 112, 6, 0.25, 0), (3, 8, 112, 192, 6, 0.25, 0)]
V2_BLOCKS = {
    'b0': V2_B, 'b1': V2_B, 'b2': V2_B, 'b3': V2_B,
    's': [(3, 2, 24, 24, 1, 0, 1), (3, 4, 24, 48, 4, 0, 1), (3, 4, 48, 64, 4, 0, 1), (3, 6, 64, 128, 4, 0.25, 0),
          (3, 9, 128, 160, 6, 0.25, 0), (3, 15, 160, 256, 6, 0.25, 0)],
    'm': [(3, 3, 24, 24, 1, 0, 1), (3, 5, 24, 48, 4, 0, 1), (3, 5, 48, 80, 4, 0, 1), (3, 7, 80, 160, 4, 0.25, 0),
          (3, 14, 160, 176, 6, 0.25, 0), (3, 18, 176, 304, 6, 0.25, 0), (3, 5, 304, 512, 6, 0.25, 0)],
    'l': [(3, 4, 32, 32, 1, 0, 1), (3, 7, 32, 64, 4, 0, 1), (3, 7, 64, 96, 4, 0, 1), (3, 10, 96, 192, 4, 0.25, 0),
          (3, 19, 192, 224, 6, 0.25, 0), (3, 25, 224, 384, 6, 0.25, 0), (3, 7, 384, 640, 6, 0.25, 0)],
}
V2_COEF = {'b0': (1.0, 1.0), 'b1': (1.0, 1.1), 'b2': (1.1, 1.2), 'b3': (1.2, 1.4), 's': (1.0, 1.0), 'm': (1.0, 1.0), 'l': (1.0, 1.0)}


def efficientnet_v2(variant, include_top=True, classes=1000):
    n = Count()
    width, depth = V2_COEF[variant]

    def round_filters(f, divisor=8):
        return int(max(divisor, int(f * width + divisor / 2) // divisor * divisor))

    blocks = V2_BLOCKS[variant]
    c = n.bn(n.conv(3, round_filters(blocks[0][2]), 3, bias=False))
    for k, repeats, fin, fout, expand, se_ratio, fused in blocks:
        fin, fout = round_filters(fin), round_filters(fout)
        for j in range(int(math.ceil(depth * repeats))):
            if j > 0:
                fin = fout
            filters = fin * expand
            x = c
            if fused:
                if expand != 1:
                    x = n.bn(n.conv(x, filters, k, bias=False))
                c = n.bn(n.conv(x, fout, 1 if expand != 1 else k, bias=False))
            else:
                if expand != 1:
                    x = n.bn(n.conv(x, filters, 1, bias=False))
                x = n.bn(n.dw(x, k))
                if 0 < se_ratio <= 1:
                    se = max(1, int(fin * se_ratio))
                    n.conv(filters, se, 1)
                    n.conv(se, filters, 1)
                c = n.bn(n.conv(x, fout, 1, bias=False))
    c = n.bn(n.conv(c, round_filters(1280), 1, bias=False))
    if include_top:
        n.dense(c, classes)
    return n.total()


CONVNEXT = {'tiny': ([3, 3, 9, 3], [96, 192, 384, 768]), 'small': ([3, 3, 27, 3], [96, 192, 384, 768]),
            'base': ([3, 3, 27, 3], [128, 256, 512, 1024]), 'large': ([3, 3, 27, 3], [192, 384, 768, 1536]),
            'xlarge': ([3, 3, 27, 3], [256, 512, 1024, 2048])}


def convnext(size, include_top=True, classes=1000):
    n = Count()
    depths, dims = CONVNEXT[size]
    c = n.ln(n.conv(3, dims[0], 4))  # stem; the prestem Normalization has given statistics: no weights
    for i in range(4):
        if i > 0:
            n.ln(c)
            c = n.conv(c, dims[i], 2)
        for _ in range(depths[i]):
            n.conv(c, c, 7, groups=c)
            n.ln(c)
            n.dense(n.dense(c, 4 * c), c)
            n.trainable += c  # LayerScale
    n.ln(c)
    if include_top:
        n.dense(c, classes)
    return n.total()


CASES = [
    ('MobileNet', {}, mobilenet()), ('MobileNet', {'includeTop': False}, mobilenet(include_top=False)),
    ('MobileNet', {'alpha': 0.25, 'depthMultiplier': 2}, mobilenet(0.25, 2)),
    ('MobileNetV2', {}, mobilenet_v2()), ('MobileNetV2', {'includeTop': False}, mobilenet_v2(include_top=False)),
    ('MobileNetV2', {'alpha': 0.35, 'includeTop': False}, mobilenet_v2(0.35, include_top=False)),
    ('MobileNetV2', {'alpha': 1.4}, mobilenet_v2(1.4)),
    ('MobileNetV3Small', {}, mobilenet_v3(True)), ('MobileNetV3Small', {'includeTop': False}, mobilenet_v3(True, include_top=False)),
    ('MobileNetV3Small', {'minimalistic': True, 'alpha': 0.75}, mobilenet_v3(True, 0.75, True)),
    ('MobileNetV3Large', {}, mobilenet_v3(False)), ('MobileNetV3Large', {'includeTop': False}, mobilenet_v3(False, include_top=False)),
    ('MobileNetV3Large', {'minimalistic': True}, mobilenet_v3(False, minimalistic=True)),
]
for i, (w, d) in enumerate([(1.0, 1.0), (1.0, 1.1), (1.1, 1.2), (1.2, 1.4), (1.4, 1.8), (1.6, 2.2), (1.8, 2.6), (2.0, 3.1)]):
    CASES.append((f'EfficientNetB{i}', {}, efficientnet(w, d)))
    CASES.append((f'EfficientNetB{i}', {'includeTop': False}, efficientnet(w, d, include_top=False)))
for v in ['b0', 'b1', 'b2', 'b3', 's', 'm', 'l']:
    name = 'EfficientNetV2' + v.upper()
    CASES.append((name, {}, efficientnet_v2(v)))
    CASES.append((name, {'includeTop': False}, efficientnet_v2(v, include_top=False)))
for s in ['tiny', 'small', 'base', 'large', 'xlarge']:
    name = 'ConvNeXt' + {'xlarge': 'XLarge'}.get(s, s.capitalize())
    CASES.append((name, {}, convnext(s)))
    CASES.append((name, {'includeTop': False}, convnext(s, include_top=False)))

if __name__ == '__main__':
    for name, opts, (total, trainable) in CASES:
        print(f"  ['{name}', {opts}, {total}, {trainable}],".replace("'includeTop'", 'includeTop').replace("'alpha'", 'alpha')
              .replace("'depthMultiplier'", 'depthMultiplier').replace("'minimalistic'", 'minimalistic').replace('False', 'false').replace('True', 'true'))
