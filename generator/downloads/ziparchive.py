"""A small zip writer whose members are deflated ahead of time, piece by piece.

``zipfile`` compresses every member as it writes it; here a member is a
``Deflated`` stream made from independent ``Segment`` s, so a cached segment is
reused as it is and a zip of unchanged members costs no compression at all.
Each segment is compressed alone and ends on a byte boundary (``Z_FULL_FLUSH``),
which is what lets segments be joined into one valid deflate stream, as parallel
compressors do. Every entry carries one fixed date and Unix permissions, so the
same members give the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

LEVEL = 6  # zlib's default, as zipfile uses
WINDOW = 32 * 1024  # how far back deflate refers
ZIP_EPOCH = date(1980, 1, 1)  # the earliest date a zip entry can carry
_FINAL_BLOCK = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush()  # an empty last block
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION = 20  # deflate needs zip 2.0
_MADE_ON_UNIX = 3 << 8
_FILE_MODE = 0o100644 << 16
_UTF8_NAME = 0x800
_LIMIT = 0xFFFFFFFF  # beyond it a zip needs the zip64 extensions, not written here


@dataclass(frozen=True)
class Segment:
    """A piece of a deflate stream: compressed alone, not final, ending on a byte boundary."""

    data: bytes
    crc: int
    size: int


@dataclass(frozen=True)
class Deflated:
    """A complete raw deflate stream with the CRC-32 and size of what it holds."""

    data: bytes
    crc: int
    size: int


def segment(data: bytes, history: bytes = b"") -> Segment:
    """``data`` compressed as a segment that other segments may precede or follow.

    With ``history``, the bytes the stream holds just before ``data`` (at most the
    last 32 KiB count), the segment refers back to them as one stream would, so it
    compresses as well; it may then only follow segments ending with those bytes.
    """
    if history:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, zdict=history[-WINDOW:])
    else:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
    return Segment(packed, zlib.crc32(data), len(data))


def joined(segments: Iterable[Segment]) -> Deflated:
    """One deflate stream of the segments in order, closed by an empty last block."""
    crc, size, parts = 0, 0, []
    for piece in segments:
        crc = crc32_combine(crc, piece.crc, piece.size)
        size += piece.size
        parts.append(piece.data)
    parts.append(_FINAL_BLOCK)
    return Deflated(b"".join(parts), crc, size)


def deflate(data: bytes) -> Deflated:
    """``data`` as one deflate stream."""
    return joined([segment(data)])


def crc32_combine(crc1: int, crc2: int, size2: int) -> int:
    """The CRC-32 of A + B from those of A and B, without A's bytes.

    CRC-32 is affine over GF(2): A's CRC times x^(8 * size2) modulo the CRC
    polynomial, plus B's CRC, is the combined one (zlib's ``crc32_combine``).
    """
    return _times(_x_to_8n(size2), crc1) ^ crc2


_POLY = 0xEDB88320  # CRC-32's polynomial, bit-reversed as the CRC is


def _times(a: int, b: int) -> int:
    """The product of two polynomials modulo CRC-32's, in its bit-reversed form."""
    product, bit = 0, 1 << 31
    while a:
        if a & bit:
            product ^= b
            a ^= bit
        bit >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return product


def _squares() -> list[int]:
    powers = [1 << 30]  # x^1, then x^2, x^4, ... x^(2^31)
    for _ in range(31):
        powers.append(_times(powers[-1], powers[-1]))
    return powers


_X_TO_2K = _squares()  # x^(2^k) modulo the polynomial


def _x_to_8n(n: int) -> int:
    """x^(8n) modulo the polynomial: the shift of a CRC by ``n`` zero bytes."""
    power, k = 1 << 31, 3  # x^0; 8n is n * 2^3
    while n:
        if n & 1:
            power = _times(_X_TO_2K[k & 31], power)
        n >>= 1
        k += 1
    return power


def zip_archive(members: Sequence[tuple[str, Deflated]], when: date) -> bytes:
    """A zip of the members (name, deflated content) in the order given, all dated ``when``."""
    day = max(when, ZIP_EPOCH)
    stamp = (day.year - 1980) << 9 | day.month << 5 | day.day
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, member in members:
        local, record = _headers(name, member, stamp, offset)
        out += (local, member.data)
        central.append(record)
        offset += len(local) + len(member.data)
    return b"".join([*out, *central, _end(len(members), central, offset)])


def _headers(name: str, member: Deflated, stamp: int, offset: int) -> tuple[bytes, bytes]:
    if max(member.size, len(member.data), offset) > _LIMIT:
        raise ValueError(f"{name} is too large for a zip without zip64")
    encoded = name.encode("utf-8")
    flags = 0 if name.isascii() else _UTF8_NAME
    sizes = (member.crc, len(member.data), member.size, len(encoded))
    local = _LOCAL.pack(0x04034B50, _VERSION, flags, 8, 0, stamp, *sizes, 0)
    record = _CENTRAL.pack(
        0x02014B50, _MADE_ON_UNIX | _VERSION, _VERSION, flags, 8, 0, stamp, *sizes,
        0, 0, 0, 0, _FILE_MODE, offset,
    )  # fmt: skip
    return local + encoded, record + encoded


def _end(count: int, central: Sequence[bytes], offset: int) -> bytes:
    if count > 0xFFFF:
        raise ValueError("too many entries for a zip without zip64")
    size = sum(len(record) for record in central)
    return _END.pack(0x06054B50, 0, 0, count, count, size, offset, 0)
