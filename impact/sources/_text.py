"""Helpers shared by the loaders: reading bytes (through :mod:`impact.sources.files`), decoding, file labels."""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import InputError
from . import files
from .files import exception_text, label

MISSING = frozenset({"", "-", "ND", "N/A", "NA", "n/a", "nd"})

__all__ = ["MISSING", "csv_rows", "decode", "label", "read_bytes"]


def read_bytes(path: str | Path, kind: str) -> bytes:
    """The bytes of ``path``, a data file of ``kind`` (:data:`impact.sources.files.KINDS`), or an
    :class:`~impact.errors.InputError` naming it (:func:`impact.sources.files.read_bytes`)."""
    return files.read_bytes(path, kind)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else latin-1 (the encoding of RTE's own exports)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def csv_rows(reader, source: str):
    """The rows of a :mod:`csv` reader; a line it cannot read (a field past its size limit, a
    stray quote at the end) is an :class:`InputError` naming the line, not a traceback."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                source, [(f"line {reader.line_num}", f"is not a valid CSV line: {exception_text(exc)}")]
            ) from None
        yield row
