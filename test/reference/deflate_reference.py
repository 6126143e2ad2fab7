"""CRC-32s for test/saving/inflate.test.ts, from Python's zlib (not from keras-ts): the test builds the
same bytes, deflates them with Node's zlib at the level given, and checks both inflaters and CRCs.

Prints, for each case: its length and its CRC-32.
"""
import zlib


cases = {
    'text': (bytes(range(256)) * 4 + b'keras-ts ' * 100, 9),
    'stored': (bytes(range(256)) * 2, 0),
    'zeros': (bytes(100000), 9),
}
for name, (data, level) in cases.items():
    print(name, len(data), zlib.crc32(data))
