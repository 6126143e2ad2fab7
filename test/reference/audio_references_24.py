"""Writes the WAV fixtures of issue 24's audioDatasetFromDirectory test (test/fixtures/audio/) with
Python's `wave` module and SciPy's wavfile writer, and prints the float32 samples TensorFlow's
tf.audio.decode_wav would give (integer / 2^(bits-1); 8-bit is unsigned, offset 128), independently
of keras-ts's reader. Run `python3 test/reference/audio_references_24.py`; test/utils/utils_24.test.ts holds the output.
"""
import os
import wave
import numpy as np
import scipy.io.wavfile

root = os.path.join(os.path.dirname(__file__), "..", "fixtures", "audio")


def pcm16(path, samples, rate=8000, channels=1):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    a = np.array(samples, dtype="<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(channels); w.setsampwidth(2); w.setframerate(rate); w.writeframes(a.tobytes())
    return a.astype(np.float64) / 32768


def show(name, a):
    print(f"  {name}: [" + ", ".join(f"{v:.10f}" for v in np.ravel(a)) + "],")


show("a_one", pcm16(os.path.join(root, "classes", "a", "one.wav"), [0, 16384, -16384, 32767, -32768]))
show("a_two", pcm16(os.path.join(root, "classes", "a", "two.wav"), [100, -200, 300]))
show("b_three", pcm16(os.path.join(root, "classes", "b", "three.wav"), [1000, 2000, 3000, 4000]))
show("b_other_rate", pcm16(os.path.join(root, "rates", "x", "r.wav"), [1, 2], rate=16000))

fmt = os.path.join(root, "formats")
os.makedirs(fmt, exist_ok=True)
stereo24 = np.array([[8388607, -8388608], [4194304, -1], [0, 123456]], dtype=np.int32)
with wave.open(os.path.join(fmt, "stereo24.wav"), "wb") as w:
    w.setnchannels(2); w.setsampwidth(3); w.setframerate(8000)
    w.writeframes(b"".join(int(v).to_bytes(3, "little", signed=True) for v in stereo24.ravel()))
show("stereo24", stereo24.astype(np.float64) / 2 ** 23)
u8 = np.array([0, 128, 255, 64], dtype=np.uint8)
with wave.open(os.path.join(fmt, "u8.wav"), "wb") as w:
    w.setnchannels(1); w.setsampwidth(1); w.setframerate(8000); w.writeframes(u8.tobytes())
show("u8", (u8.astype(np.float64) - 128) / 128)
f32 = np.array([0.25, -0.5, 0.75], dtype=np.float32)
scipy.io.wavfile.write(os.path.join(fmt, "f32.wav"), 8000, f32)
show("f32", f32)
i32 = np.array([1 << 30, -(1 << 31)], dtype=np.int32)
scipy.io.wavfile.write(os.path.join(fmt, "i32.wav"), 8000, i32)
show("i32", i32.astype(np.float64) / 2 ** 31)
