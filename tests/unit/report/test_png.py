"""The PNG reader the browser test looks at screenshots with, against images made here."""

from __future__ import annotations

import struct
import zlib

import pytest

from tests.unit.report.png import decode, ink


def png(width: int, height: int, rows: list[bytes], filters: list[int], colour_type: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(bytes([f]) + r for f, r in zip(filters, rows, strict=True))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_unfiltered_rows_read_back_as_written() -> None:
    white, red = b"\xff\xff\xff", b"\xff\x00\x00"
    image = decode(png(2, 2, [white + red, white + white], [0, 0]))
    assert (image.width, image.height, image.channels) == (2, 2, 3)
    assert image.pixel(1, 0) == (255, 0, 0) and image.pixel(0, 1) == (255, 255, 255)
    assert ink(image) == 1


def test_sub_and_up_filters_are_undone() -> None:
    # row 0, filter Sub: deltas from the pixel to the left; row 1, filter Up: deltas from the row above
    row0 = bytes([10, 20, 30, 5, 5, 5])       # → (10,20,30), (15,25,35)
    row1 = bytes([1, 1, 1, 0, 0, 0])          # → (11,21,31), (15,25,35)
    image = decode(png(2, 2, [row0, row1], [1, 2]))
    assert image.pixel(1, 0) == (15, 25, 35) and image.pixel(0, 1) == (11, 21, 31)


def test_average_and_paeth_filters_are_undone() -> None:
    row0 = bytes([100, 100, 100, 100, 100, 100])
    avg = bytes([50, 50, 50, 0, 0, 0])        # (0+100)//2 + 50 = 100; then (100+100)//2 = 100
    paeth = bytes([0, 0, 0, 0, 0, 0])         # predicts from the neighbours: all 100
    image = decode(png(2, 3, [row0, avg, paeth], [0, 3, 4]))
    assert all(image.pixel(x, y) == (100, 100, 100) for x in range(2) for y in range(3))
    assert ink(image) == 6


def test_anything_but_an_8_bit_png_is_refused() -> None:
    with pytest.raises(ValueError):
        decode(b"GIF89a")
