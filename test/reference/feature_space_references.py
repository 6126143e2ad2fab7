"""FeatureSpace crosses (test/utils/feature_space.test.ts): the bins of tf.sparse.cross_hashed for
integer features, worked from TensorFlow's C++ (sparse_cross_op.cc HashCrosser, fingerprint.h
FingerprintCat64) in plain Python: start from the key 0xDECAFCAFFE, chain each feature's int64 value
(its own 64 bits; integers are not fingerprinted) with FingerprintCat64, take the result mod numBins.
The inputs are the lookup indices of the test's two integer_categorical features, worked by hand:
  a adapted on [5, 5, 5, 6, 6, 8]  -> vocabulary [UNK, 5, 6, 8] -> a = [5, 6, 8, 9] gives [1, 2, 3, 0]
  b adapted on [1, 2, 2, 3, 3, 3]  -> vocabulary [UNK, 3, 2, 1] -> b = [1, 3, 3, 4] gives [3, 1, 1, 0]
"""
M64 = (1 << 64) - 1
K_MUL = 0xC6A4A7935BD1E995


def shift_mix(v):
    return v ^ (v >> 47)


def fingerprint_cat64(fp1, fp2):
    result = (fp1 ^ K_MUL) & M64
    result ^= (shift_mix((fp2 * K_MUL) & M64) * K_MUL) & M64
    result = (result * K_MUL) & M64
    result = (shift_mix(result) * K_MUL) & M64
    return shift_mix(result)


def cross(values, num_bins):
    h = 0xDECAFCAFFE
    for v in values:
        h = fingerprint_cat64(h, v & M64)
    return h % num_bins


a = [1, 2, 3, 0]
b = [3, 1, 1, 0]
print("a_X_b, crossingDim 5:", [cross([x, y], 5) for x, y in zip(a, b)])
print("a_X_b, crossingDim 16:", [cross([x, y], 16) for x, y in zip(a, b)])
