"""Reference for keras-ts's native Dropout kernel (test/ops/dropout.test.ts), written independently of
native/cpu/dropout.cc and src/ops/alea.ts from seedrandom's alea (Baagoe's Mash seeding, then
t = 2091639 * s0 + c * 2^-32; s0 = s1; s1 = s2; c = floor(t); s2 = t - c) and tfjs's dropout
(multiplier = floor(float32(u) + keepProb) / keepProb, y = x * multiplier, each op in float32, keepProb
= float32(1 - rate)), in Python's doubles as JavaScript computes them. Prints, for the seed string
'42': alea's state after seeding, its first 6 draws, and tfjs's dropout of x = 1..12 at rate 0.5 and
at rate 0.25 (float32 values written with repr of the double they hold).
Run `/usr/bin/python3 test/reference/alea_dropout_reference.py`; the test holds the output.
"""
import math

import numpy as np

TWO32 = 4294967296.0


def to_uint32(h):
    return int(math.trunc(h)) % (1 << 32)


def mash():
    n = float(0xEFC8249D)

    def f(data):
        nonlocal n
        for ch in data:
            n += ord(ch)
            h = 0.02519603282416938 * n
            n = float(to_uint32(h))
            h -= n
            h *= n
            n = float(to_uint32(h))
            h -= n
            n += h * TWO32
        return to_uint32(n) * 2.3283064365386963e-10

    return f


def alea(seed):
    m = mash()
    s = [m(" "), m(" "), m(" ")]
    for i in range(3):
        s[i] -= m(seed)
        if s[i] < 0:
            s[i] += 1
    state = {"c": 1.0, "s": s}

    def draw():
        t = 2091639 * state["s"][0] + state["c"] * 2.3283064365386963e-10
        state["s"] = [state["s"][1], state["s"][2], None]
        state["c"] = float(math.floor(t))
        state["s"][2] = t - state["c"]
        return state["s"][2]

    return (1.0, *s), draw


def dropout(x, rate, seed):
    _, draw = alea(seed)
    f32 = np.float32
    kp = f32(1 - rate)
    out = []
    for v in x:
        u = f32(draw())
        m = f32(math.floor(f32(float(u) + float(kp)))) / kp
        out.append(float(f32(f32(v) * f32(m))))
    return out


state, draw = alea("42")
print("state [c, s0, s1, s2]:", [repr(v) for v in state])
print("draws:", [repr(draw()) for _ in range(6)])
x = [float(i) for i in range(1, 13)]
print("rate 0.5:", dropout(x, 0.5, "42"))
print("rate 0.25:", dropout(x, 0.25, "42"))
