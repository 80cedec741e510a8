"""Helpers shared by the loaders: reading bytes, decoding, file labels."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

MISSING = frozenset({"", "-", "ND", "N/A", "NA", "n/a", "nd"})


def label(path: str | Path) -> str:
    """How a file is named in messages: its file name."""
    p = Path(path)
    return p.name or str(p)


def read_bytes(path: str | Path, what: str) -> bytes:
    """The bytes of ``path``, or an :class:`InputError` naming it."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), f"not found (expected {what})") from None
    except IsADirectoryError:
        raise InputError(str(path), f"is a folder, expected {what}") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from None


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else latin-1 (the encoding of RTE's own exports)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
