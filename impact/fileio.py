"""Writing files safely: through a temporary name, renamed only when complete."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged(path: Path):
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it vanishes."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (no half-written file, ever)."""
    with staged(path) as tmp:
        tmp.write_bytes(data)
