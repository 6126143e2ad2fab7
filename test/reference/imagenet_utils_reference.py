"""References for k.applications.imagenetUtils.preprocessInput (src/applications/imagenet_utils.ts):
Keras's imagenet_utils._preprocess_numpy_input written out in NumPy, float32 as Keras's floatx.
Input: a [1, 2, 2, 3] batch of pixel values x[i] = (37 * i) % 256 for i in 0..11 (channels last),
and the same values as one [3, 2, 2] channels-first image.
Run `python3 test/reference/imagenet_utils_reference.py`; test/applications/imagenet_utils.test.ts holds the output.
"""
import numpy as np

x = (np.arange(12) * 37 % 256).astype(np.float32).reshape(1, 2, 2, 3)

def caffe(x, channels_first=False):
    x = x.copy()
    mean = np.array([103.939, 116.779, 123.68], np.float32)
    if channels_first:
        x = x[::-1, ...]
        return x - mean.reshape(3, 1, 1)
    x = x[..., ::-1]
    return x - mean

def tf(x):
    return x / np.float32(127.5) - np.float32(1.0)

def torch(x):
    x = x / np.float32(255.0)
    return (x - np.array([0.485, 0.456, 0.406], np.float32)) / np.array([0.229, 0.224, 0.225], np.float32)

for name, y in [('caffe', caffe(x)), ('tf', tf(x)), ('torch', torch(x)),
                ('caffe_channels_first', caffe(x.reshape(3, 2, 2), True))]:
    print(name, [float('%.6f' % v) for v in y.ravel()])
