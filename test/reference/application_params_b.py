"""Exact parameter counts (total, trainable, non-trainable) of Keras's ResNet, ResNetV2, VGG,
InceptionV3, InceptionResNetV2, Xception, DenseNet and NASNet applications, with and without the
top, at Keras's default input sizes: each architecture of keras/src/applications/*.py re-traced
layer by layer with hand-written per-layer formulas (no TensorFlow, no keras-ts), tracking only
shapes [h, w, c] and weight counts.

Formulas (channels last): Conv2D k_h*k_w*c_in*f (+f bias); SeparableConv2D k*k*c_in + c_in*f
(+f bias); Dense n_in*n_out + n_out; BatchNormalization trainable gamma (if scale) and beta,
non-trainable moving mean and variance (c each).

Run `python3 test/reference/application_params_b.py`; test/applications/*.test.ts hold the output.
They agree with the rounded figures of https://keras.io/api/applications/ (e.g. ResNet50 25.6M,
NASNetLarge 88.9M).
"""


class Net:
    def __init__(self):
        self.trainable = 0
        self.fixed = 0

    def conv(self, s, f, k, stride=1, padding='valid', bias=True):
        kh, kw = (k, k) if isinstance(k, int) else k
        self.trainable += kh * kw * s[2] * f + (f if bias else 0)
        return [out(s[0], kh, stride, padding), out(s[1], kw, stride, padding), f]

    def sep(self, s, f, k, stride=1, padding='same', bias=False):
        self.trainable += k * k * s[2] + s[2] * f + (f if bias else 0)
        return [out(s[0], k, stride, padding), out(s[1], k, stride, padding), f]

    def bn(self, s, scale=True):
        self.trainable += s[2] * (2 if scale else 1)
        self.fixed += 2 * s[2]
        return s

    def dense(self, n, units):
        self.trainable += n * units + units
        return units


def out(size, k, stride, padding):
    return (size + stride - 1) // stride if padding == 'same' else (size - k) // stride + 1


def pool(s, k, stride, padding='valid'):
    return [out(s[0], k, stride, padding), out(s[1], k, stride, padding), s[2]]


def pad(s, t, b, l, r):
    return [s[0] + t + b, s[1] + l + r, s[2]]


def cat(*shapes):
    return [shapes[0][0], shapes[0][1], sum(s[2] for s in shapes)]


def head(net, s, top, flatten=False, fc=()):
    if not top:
        return
    n = s[0] * s[1] * s[2] if flatten else s[2]
    for units in fc:
        n = net.dense(n, units)
    net.dense(n, 1000)


# --- ResNet (resnet.py) ---------------------------------------------------------------------
def resnet(blocks, v2, top):
    net, s = Net(), [224, 224, 3]
    s = net.conv(pad(s, 3, 3, 3, 3), 64, 7, 2)
    if not v2:
        s = net.bn(s)
    s = pool(pad(s, 1, 1, 1, 1), 3, 2)
    for stage, (filters, count) in enumerate(zip([64, 128, 256, 512], blocks)):
        for i in range(count):
            if v2:
                stride = 2 if (i == count - 1 and stage < 3) else 1
                pre = net.bn(s)
                sc = net.conv(pre, 4 * filters, 1, stride) if i == 0 else pool(s, 1, stride)
                x = net.bn(net.conv(pre, filters, 1, bias=False))
                x = net.bn(net.conv(pad(x, 1, 1, 1, 1), filters, 3, stride, bias=False))
                s = net.conv(x, 4 * filters, 1)
            else:
                stride = 2 if (i == 0 and stage > 0) else 1
                if i == 0:
                    net.bn(net.conv(s, 4 * filters, 1, stride))
                x = net.bn(net.conv(s, filters, 1, stride))
                x = net.bn(net.conv(x, filters, 3, padding='same'))
                s = net.bn(net.conv(x, 4 * filters, 1))
    if v2:
        s = net.bn(s)
    head(net, s, top)
    return net


# --- VGG (vgg16.py, vgg19.py) ---------------------------------------------------------------
def vgg(convs, top):
    net, s = Net(), [224, 224, 3]
    for filters, count in zip([64, 128, 256, 512, 512], convs):
        for _ in range(count):
            s = net.conv(s, filters, 3, padding='same')
        s = pool(s, 2, 2)
    head(net, s, top, flatten=True, fc=(4096, 4096))
    return net


# --- InceptionV3 (inception_v3.py) ----------------------------------------------------------
def inception_v3(top):
    net, s = Net(), [299, 299, 3]

    def cb(s, f, r, c, padding='same', stride=1):
        return net.bn(net.conv(s, f, (r, c), stride, padding, bias=False), scale=False)

    s = cb(s, 32, 3, 3, 'valid', 2)
    s = cb(s, 32, 3, 3, 'valid')
    s = pool(cb(s, 64, 3, 3), 3, 2)
    s = cb(s, 80, 1, 1, 'valid')
    s = pool(cb(s, 192, 3, 3, 'valid'), 3, 2)
    for pf in [32, 64, 64]:
        s = cat(cb(s, 64, 1, 1), cb(cb(s, 48, 1, 1), 64, 5, 5), cb(cb(cb(s, 64, 1, 1), 96, 3, 3), 96, 3, 3), cb(s, pf, 1, 1))
    s = cat(cb(s, 384, 3, 3, 'valid', 2), cb(cb(cb(s, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2), pool(s, 3, 2))
    for c in [128, 160, 160, 192]:
        b7 = cb(cb(cb(s, c, 1, 1), c, 1, 7), 192, 7, 1)
        bd = cb(cb(cb(cb(cb(s, c, 1, 1), c, 7, 1), c, 1, 7), c, 7, 1), 192, 1, 7)
        s = cat(cb(s, 192, 1, 1), b7, bd, cb(s, 192, 1, 1))
    b3 = cb(cb(s, 192, 1, 1), 320, 3, 3, 'valid', 2)
    b7 = cb(cb(cb(cb(s, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 'valid', 2)
    s = cat(b3, b7, pool(s, 3, 2))
    for _ in range(2):
        b3 = cb(s, 384, 1, 1)
        bd = cb(cb(s, 448, 1, 1), 384, 3, 3)
        s = cat(cb(s, 320, 1, 1), cb(b3, 384, 1, 3), cb(b3, 384, 3, 1), cb(bd, 384, 1, 3), cb(bd, 384, 3, 1), cb(s, 192, 1, 1))
    head(net, s, top)
    return net


# --- InceptionResNetV2 (inception_resnet_v2.py) ---------------------------------------------
def inception_resnet_v2(top):
    net, s = Net(), [299, 299, 3]

    def cb(s, f, k, stride=1, padding='same', bias=False):
        s = net.conv(s, f, k, stride, padding, bias=bias)
        return s if bias else net.bn(s, scale=False)

    s = cb(s, 32, 3, 2, 'valid')
    s = cb(s, 32, 3, 1, 'valid')
    s = pool(cb(s, 64, 3), 3, 2)
    s = cb(s, 80, 1, 1, 'valid')
    s = pool(cb(s, 192, 3, 1, 'valid'), 3, 2)
    s = cat(cb(s, 96, 1), cb(cb(s, 48, 1), 64, 5), cb(cb(cb(s, 64, 1), 96, 3), 96, 3), cb(s, 64, 1))

    def block(s, kind):
        if kind == 35:
            mixed = cat(cb(s, 32, 1), cb(cb(s, 32, 1), 32, 3), cb(cb(cb(s, 32, 1), 48, 3), 64, 3))
        elif kind == 17:
            mixed = cat(cb(s, 192, 1), cb(cb(cb(s, 128, 1), 160, (1, 7)), 192, (7, 1)))
        else:
            mixed = cat(cb(s, 192, 1), cb(cb(cb(s, 192, 1), 224, (1, 3)), 256, (3, 1)))
        cb(mixed, s[2], 1, bias=True)
        return s

    for _ in range(10):
        s = block(s, 35)
    s = cat(cb(s, 384, 3, 2, 'valid'), cb(cb(cb(s, 256, 1), 256, 3), 384, 3, 2, 'valid'), pool(s, 3, 2))
    for _ in range(20):
        s = block(s, 17)
    s = cat(cb(cb(s, 256, 1), 384, 3, 2, 'valid'), cb(cb(s, 256, 1), 288, 3, 2, 'valid'),
            cb(cb(cb(s, 256, 1), 288, 3), 320, 3, 2, 'valid'), pool(s, 3, 2))
    for _ in range(10):
        s = block(s, 8)
    s = cb(s, 1536, 1)
    head(net, s, top)
    return net


# --- Xception (xception.py) -----------------------------------------------------------------
def xception(top):
    net, s = Net(), [299, 299, 3]
    s = net.bn(net.conv(s, 32, 3, 2, bias=False))
    s = net.bn(net.conv(s, 64, 3, bias=False))
    for f1, f2 in [(128, 128), (256, 256), (728, 728)]:
        net.bn(net.conv(s, f2, 1, 2, 'same', bias=False))
        x = net.bn(net.sep(s, f1, 3))
        s = pool(net.bn(net.sep(x, f2, 3)), 3, 2, 'same')
    for _ in range(8):
        for _ in range(3):
            net.bn(net.sep(s, 728, 3))
    net.bn(net.conv(s, 1024, 1, 2, 'same', bias=False))
    x = net.bn(net.sep(s, 728, 3))
    s = pool(net.bn(net.sep(x, 1024, 3)), 3, 2, 'same')
    s = net.bn(net.sep(s, 1536, 3))
    s = net.bn(net.sep(s, 2048, 3))
    head(net, s, top)
    return net


# --- DenseNet (densenet.py) -----------------------------------------------------------------
def densenet(blocks, top):
    net, s = Net(), [224, 224, 3]
    s = net.bn(net.conv(pad(s, 3, 3, 3, 3), 64, 7, 2, bias=False))
    s = pool(pad(s, 1, 1, 1, 1), 3, 2)
    for i, count in enumerate(blocks):
        for _ in range(count):
            x = net.bn(net.conv(net.bn(s), 128, 1, bias=False))
            s = cat(s, net.conv(x, 32, 3, padding='same', bias=False))
        if i < 3:
            s = pool(net.conv(net.bn(s), s[2] // 2, 1, bias=False), 2, 2)
    s = net.bn(s)
    head(net, s, top)
    return net


# --- NASNet (nasnet.py) ---------------------------------------------------------------------
def nasnet(penultimate, num_blocks, stem, skip_reduction, size, top):
    net = Net()

    def correct_pad(s, k):
        adj = (1 - s[0] % 2, 1 - s[1] % 2)
        c = k // 2
        return pad(s, c - adj[0], c, c - adj[1], c)

    def sep_block(s, f, k, stride=1):
        if stride == 2:
            x = net.bn(net.sep(correct_pad(s, k), f, k, 2, 'valid'))
        else:
            x = net.bn(net.sep(s, f, k))
        return net.bn(net.sep(x, f, k))

    def adjust(p, ip, f):
        if p is None:
            return ip
        if p[1] != ip[1]:
            p1 = net.conv(pool(p, 1, 2), f // 2, 1, bias=False)
            p2 = net.conv(pool(p, 1, 2), f // 2, 1, bias=False)  # pad (0,1) then crop (1,0): same size
            return net.bn(cat(p1, p2))
        if p[2] != f:
            return net.bn(net.conv(p, f, 1, bias=False))
        return p

    def normal(ip, p, f):
        p = adjust(p, ip, f)
        h = net.bn(net.conv(ip, f, 1, bias=False))
        x1 = sep_block(h, f, 5); sep_block(p, f, 3)
        x2 = sep_block(p, f, 5); sep_block(p, f, 3)
        x5 = sep_block(h, f, 3)
        return cat(p, x1, x2, h, p, x5), ip

    def reduction(ip, p, f):
        p = adjust(p, ip, f)
        h = net.bn(net.conv(ip, f, 1, bias=False))
        h3 = correct_pad(h, 3)
        x1 = sep_block(h, f, 5, 2); sep_block(p, f, 7, 2)
        x2 = sep_block(p, f, 7, 2)
        x3 = sep_block(p, f, 5, 2)
        x4 = x2
        x5 = sep_block(x1, f, 3)
        assert pool(h3, 3, 2) == x2 == x5
        return cat(x2, x3, x4, x5), ip

    filters = penultimate // 24
    s = net.bn(net.conv([size, size, 3], stem, 3, 2, bias=False))
    x, p = reduction(s, None, filters // 4)
    x, p = reduction(x, p, filters // 2)
    for stage in range(3):
        width = filters * 2 ** stage
        if stage > 0:
            x, p0 = reduction(x, p, width)
            p = p if skip_reduction else p0
        for _ in range(num_blocks):
            x, p = normal(x, p, width)
    head(net, x, top)
    return net


MODELS = {
    'ResNet50': lambda t: resnet([3, 4, 6, 3], False, t),
    'ResNet101': lambda t: resnet([3, 4, 23, 3], False, t),
    'ResNet152': lambda t: resnet([3, 8, 36, 3], False, t),
    'ResNet50V2': lambda t: resnet([3, 4, 6, 3], True, t),
    'ResNet101V2': lambda t: resnet([3, 4, 23, 3], True, t),
    'ResNet152V2': lambda t: resnet([3, 8, 36, 3], True, t),
    'VGG16': lambda t: vgg([2, 2, 3, 3, 3], t),
    'VGG19': lambda t: vgg([2, 2, 4, 4, 4], t),
    'InceptionV3': inception_v3,
    'InceptionResNetV2': inception_resnet_v2,
    'Xception': xception,
    'DenseNet121': lambda t: densenet([6, 12, 24, 16], t),
    'DenseNet169': lambda t: densenet([6, 12, 32, 32], t),
    'DenseNet201': lambda t: densenet([6, 12, 48, 32], t),
    'NASNetMobile': lambda t: nasnet(1056, 4, 32, False, 224, t),
    'NASNetLarge': lambda t: nasnet(4032, 6, 96, True, 331, t),
}

if __name__ == '__main__':
    print('name: [total, trainable, nonTrainable] with the top; the same without')
    for name, build in MODELS.items():
        a, b = build(True), build(False)
        print(f'{name}: [{a.trainable + a.fixed}, {a.trainable}, {a.fixed}], [{b.trainable + b.fixed}, {b.trainable}, {b.fixed}]')
