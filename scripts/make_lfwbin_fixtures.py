#!/usr/bin/env python3
"""Writes internal/data/testdata/lfwbin_p{2,3,4,5}.bin: insightface-style
lfw.bin files (pickle.dump((bins, issame_list), f, protocol=P)) holding 10
pairs of tiny grey PNGs, the way insightface's lfw2pack.py / data_dir.py
build them. Run with /usr/bin/python3 from the repository root."""
import pickle
import struct
import zlib


def png(width, height, pixels):
    """A minimal 8-bit greyscale PNG (no numpy or PIL needed)."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


bins, issame = [], []
for k in range(10):
    for side in range(2):
        i = 2 * k + side
        bins.append(png(3, 2, [(i * 11 + j * 40) % 256 for j in range(6)]))
    issame.append(k % 2 == 0)

for proto in (2, 3, 4, 5):
    with open("internal/data/testdata/lfwbin_p%d.bin" % proto, "wb") as f:
        pickle.dump((bins, issame), f, protocol=proto)
