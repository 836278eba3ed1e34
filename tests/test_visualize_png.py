"""A stdlib PNG reader used to check that screenshots and exported images are not blank."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel (8-bit, no palette)


def _chunks(data: bytes):
    pos = len(_SIGNATURE)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        yield kind, data[pos + 8:pos + 8 + length]
        pos += 12 + length


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw: bytes, width: int, height: int, bpp: int) -> list[bytes]:
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    pos = 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((x + y) & 0xFF for x, y in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, prev[i], upleft)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return rows


def png_stats(path: Path, box: tuple[int, int, int, int] | None = None) -> tuple[int, int, int, float]:
    """(width, height, distinct colours, variance of the first channel) of an 8-bit PNG.

    Colours and variance are measured inside ``box`` = (left, top, right, bottom) when given.
    """
    data = Path(path).read_bytes()
    assert data.startswith(_SIGNATURE), f"{path} is not a PNG"
    header, idat = b"", b""
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in _CHANNELS and interlace == 0, "only 8-bit non-interlaced PNGs"
    bpp = _CHANNELS[colour]
    rows = _unfilter(zlib.decompress(idat), width, height, bpp)
    if box is not None:
        left, top, right, bottom = box
        rows = [row[left * bpp:right * bpp] for row in rows[top:bottom]]
    colours = {row[i:i + bpp] for row in rows for i in range(0, len(row), bpp)}
    firsts = [row[i] for row in rows for i in range(0, len(row), bpp)]
    mean = sum(firsts) / len(firsts)
    variance = sum((v - mean) ** 2 for v in firsts) / len(firsts)
    return width, height, len(colours), variance


def _write_png(path: Path, rows: list[bytes], width: int, filter_type: int) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(bytes([filter_type]) + r for r in rows)
    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    path.write_bytes(_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_png_stats_reads_a_blank_and_a_two_colour_image(tmp_path):
    white = [bytes([255] * 3 * 4)] * 3
    _write_png(tmp_path / "blank.png", white, 4, 0)
    assert png_stats(tmp_path / "blank.png") == (4, 3, 1, 0.0)
    # filter 2 (Up): the second row adds to the first, giving black + white rows
    rows = [bytes([0] * 12), bytes([255] * 12)]
    _write_png(tmp_path / "two.png", rows, 4, 2)
    width, height, colours, variance = png_stats(tmp_path / "two.png")
    assert (width, height, colours) == (4, 2, 2)
    assert variance > 10_000
    # the bottom row alone is one colour
    assert png_stats(tmp_path / "two.png", box=(0, 1, 4, 2))[2:] == (1, 0.0)
