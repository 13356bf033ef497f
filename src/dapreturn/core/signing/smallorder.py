"""Refuse degenerate Ed25519 public keys: points of small order, and encodings that are no point.

A public key of small order (the identity, or one of the other seven points whose order divides
8) makes verification meaningless: with such a key, a signature made without any private key can
check out for many messages. No genuine key is ever one (a real key is the base point times a
clamped secret, which has large prime order), so a trust list or signature that carries one is
an attack or damage. :func:`check_public_key` decodes the 32 bytes as RFC 8032 does, refusing a
non-canonical ``y`` (at least p) or an ``x`` that does not exist, and then checks that 8·P is not
the identity.
"""

from __future__ import annotations

__all__ = ["check_public_key"]

_P = 2**255 - 19
_D = (-121665 * pow(121666, _P - 2, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

_Point = tuple[int, int, int, int]
"""Extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, xy = T/Z."""


def _decode(raw: bytes) -> _Point | None:
    """The point ``raw`` encodes (RFC 8032 5.1.3), or ``None`` when it encodes none."""
    value = int.from_bytes(raw, "little")
    sign = value >> 255
    y = value & ((1 << 255) - 1)
    if y >= _P:
        return None
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    x = (u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P)) % _P
    check = (v * x * x) % _P
    if check == (-u) % _P:
        x = (x * _SQRT_M1) % _P
    elif check != u:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = _P - x
    return (x, y, 1, (x * y) % _P)


def _double(point: _Point) -> _Point:
    """2·P on the twisted Edwards curve (a = -1), extended coordinates."""
    x1, y1, z1, _ = point
    a = x1 * x1 % _P
    b = y1 * y1 % _P
    c = 2 * z1 * z1 % _P
    h = (a + b) % _P
    e = (h - (x1 + y1) * (x1 + y1)) % _P
    g = (a - b) % _P
    f = (c + g) % _P
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def check_public_key(raw: bytes) -> str | None:
    """Why the 32-byte Ed25519 public key ``raw`` must not be used, or ``None`` when it is sound."""
    if len(raw) != 32:
        return "an Ed25519 public key is 32 bytes"
    point = _decode(raw)
    if point is None:
        return "the key is not a point on the Ed25519 curve"
    for _ in range(3):
        point = _double(point)
    x, y, z, _ = point
    if x % _P == 0 and (y - z) % _P == 0:
        return "the key is a degenerate (small-order) Ed25519 point that no real key can be"
    return None
