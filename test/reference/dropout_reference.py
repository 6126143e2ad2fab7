"""Reference for the native Dropout kernel's draws (test/ops/dropout.test.ts), written independently
of native/cpu/dropout.cc from its stated rule: u_i = (splitmix64(splitmix64(seed) + i) >> 11) * 2^-53,
element i kept where u_i >= rate, scaled by 1 / (1 - rate). Prints, for seed 12345 and rate 0.5, the
kept flags of elements 0..23 and the scale of a kept element; for seed 7 and rate 0.3, the count kept
of the first 100,000.
Run `/usr/bin/python3 test/reference/dropout_reference.py`; the test holds the output.
"""
M = (1 << 64) - 1


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def kept(seed, rate, n):
    base = splitmix64(seed)
    return [((splitmix64((base + i) & M) >> 11) * 2.0 ** -53) >= rate for i in range(n)]


print("seed 12345, rate 0.5, kept:", [int(k) for k in kept(12345, 0.5, 24)], "scale", 1 / (1 - 0.5))
print("seed 7, rate 0.3, kept of 100000:", sum(kept(7, 0.3, 100000)))
