"""The one reader of data files: regular local files only, each kind within its size limit.

Every loader of :mod:`impact.sources` (and the project file) reads through :func:`read_bytes`, so
that no data path can block, eat memory or reach past the local disk:

- a FIFO, a device, a socket, a folder or a kernel file (``/proc``, ``/sys``) is refused
  at once, before it is opened, and again on the opened descriptor (``fstat``), so that a FIFO
  swapped in between cannot block: the file is opened with ``O_NONBLOCK``;
- each kind of file has a size limit (:data:`KINDS`), stated in the message, and at most the
  limit plus one byte is read (a file growing while it is read cannot eat memory);
- URLs and GDAL virtual paths (``/vsicurl/``, ``/vsizip/``...) are refused: only bytes read here
  reach a parser, never a path (GeoJSON is parsed with :mod:`json`, a GeoPackage is checked to be
  one before GDAL sees its bytes: :mod:`impact.sources._geo`).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..textsafe import excerpt, strip_controls

MB = 1_000_000


@dataclass(frozen=True)
class FileKind:
    """A kind of data file: how messages name it and how large it may be.

    Attributes
    ----------
    what : str
        What is expected, in messages: ``"an éCO2mix CSV export"``.
    short : str
        Its short name in the size message: ``"an éCO2mix export is at most 200 MB"``.
    max_bytes : int
        The size limit [bytes]: generously above the largest real file of the kind.
    text : bool
        A text format: a NUL byte means the file is not one of this kind.
    """

    what: str
    short: str
    max_bytes: int
    text: bool = True


#: The kinds of data file, with their size limits. Each limit stands far above the largest real
#: file of the kind (``../shared/data`` and the providers' own exports, sizes of 2024-2025), so
#: that it only stops what cannot be that kind of file (``/dev/zero``, a disk image):
#: éCO2mix, 0.9 MB for a month (a national year at 15 min is about 12 MB, the whole 2012-2023
#: history about 60 MB); EPW and PVGIS typical years, 1.9 MB; RTE's substations, 0.7 MB (every
#: substation of France); boundaries, 28 MB (every commune of metropolitan France, GeoPackage;
#: IGN ADMIN EXPRESS at full resolution, a few hundred MB); cadastre parcels of one commune,
#: tens of MB for the largest; TeleGeography's cables, 0.6 MB; a project file, a few kB.
KINDS: dict[str, FileKind] = {
    "eco2mix": FileKind("an éCO2mix CSV export", "an éCO2mix export", 200 * MB),
    "epw": FileKind("an EnergyPlus weather file (.epw)", "an EPW weather file", 20 * MB),
    "pvgis": FileKind("a PVGIS typical-year export (.csv)", "a PVGIS typical-year export", 20 * MB),
    "substations": FileKind("RTE's substations CSV", "a substations CSV", 50 * MB),
    "registry": FileKind("a registry of data centers (CSV or GeoJSON)", "a registry", 100 * MB),
    "boundaries": FileKind("boundaries (GeoJSON or GeoPackage)", "a boundaries file", 1000 * MB, False),
    "cadastre": FileKind("cadastre parcels (GeoJSON)", "a parcels file", 500 * MB, False),
    "cables": FileKind("submarine cables or landing points (GeoJSON)", "a cables file", 100 * MB, False),
    "project": FileKind("a YAML project file", "a project file", 10 * MB),
}

#: Folders of kernel files: they say they are regular files of size 0 and hold anything
#: (``/proc/self/environ`` holds the environment). Devices (``/dev``) are no regular files.
SYSTEM_FOLDERS = ("/proc", "/sys")


class NotRegularFileError(OSError):
    """The path is not a regular file (a FIFO, a device, a socket, a kernel file)."""


class FileTooLargeError(OSError):
    """The file is larger than its kind allows."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"is {format_size(size, limit)}; the limit is {format_size(limit)}")
        self.size, self.limit = size, limit


def format_size(size: int, other: int | None = None) -> str:
    """``3_200_000_000`` -> ``'3.2 GB'``; exact bytes when the rounding would equal ``other``."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            text = f"{size / scale:.3g} {unit}"
            if other is None or text != format_size(other):
                return text
            break
    return f"{size:,} bytes"


def file_type(mode: int) -> str:
    """What a non-regular file is, for a message: ``'a FIFO'``, ``'a folder'``..."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"


def virtual_path(path: str | Path) -> bool:
    """True for a URL (``scheme://``) or a GDAL virtual path (``/vsicurl/``, ``/vsizip/``...)."""
    text = os.fspath(path).replace("\\", "/")
    return "://" in text or text.startswith("/vsi")


def _system_folder(real: str) -> str | None:
    for folder in SYSTEM_FOLDERS:
        if real == folder or real.startswith(folder + "/"):
            return folder
    return None


def check_stat(st: os.stat_result, real: str, max_bytes: int) -> None:
    """Raise the :class:`OSError` that says why ``st`` is not a readable data file, if it is not one."""
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "is a folder", real)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(f"not a regular file ({file_type(st.st_mode)})")
    folder = _system_folder(real)
    if folder is not None:
        raise NotRegularFileError(f"not a regular file (a system file under {folder})")
    if st.st_size > max_bytes:
        raise FileTooLargeError(st.st_size, max_bytes)


def stat_file(path: str | Path, max_bytes: int) -> os.stat_result:
    """``os.stat`` of ``path`` (links followed), checked with :func:`check_stat`; raises :class:`OSError`."""
    real = os.path.realpath(os.fspath(path))
    st = os.stat(real)
    check_stat(st, real, max_bytes)
    return st


def read_regular(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    Checked before it is opened (:func:`stat_file`), opened without blocking (``O_NONBLOCK``:
    a FIFO swapped in meanwhile opens at once) and checked again on the descriptor.

    Raises
    ------
    OSError
        ``FileNotFoundError``, ``IsADirectoryError``, :class:`NotRegularFileError`,
        :class:`FileTooLargeError` (also when the file grows past the limit while read), or
        whatever the system says (``PermissionError``...).
    """
    real = os.path.realpath(os.fspath(path))
    stat_file(real, max_bytes)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(real, flags)
    try:
        check_stat(os.fstat(fd), real, max_bytes)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 22, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise FileTooLargeError(total, max_bytes)
        return b"".join(chunks)
    finally:
        os.close(fd)


def problem(exc: OSError, kind: FileKind) -> str:
    """The message for a data file that :func:`read_regular` refused."""
    if isinstance(exc, FileNotFoundError):
        return f"not found (expected {kind.what})"
    if isinstance(exc, IsADirectoryError):
        return f"not a regular file (a folder), expected {kind.what}"
    if isinstance(exc, NotRegularFileError):
        return f"{exc}, expected {kind.what}"
    if isinstance(exc, FileTooLargeError):
        return f"is {format_size(exc.size, exc.limit)}; {kind.short} is at most {format_size(exc.limit)}"
    return f"cannot be read: {exc.strerror or type(exc).__name__}"


def read_bytes(path: str | Path, kind: str) -> bytes:
    """The bytes of the data file ``path`` of ``kind`` (a key of :data:`KINDS`), or an :class:`InputError`.

    The error names the file (its path as given when it cannot be read, else its name), says what
    it is instead of a regular file, or its size beside the limit of its kind; a text kind holding
    NUL bytes is refused (it is no text file).
    """
    k = KINDS[kind]
    name = label(path)
    if virtual_path(path):
        raise InputError(
            name,
            f"is a URL or a GDAL virtual path ({excerpt(os.fspath(path), 60)}): "
            f"only local files are read; expected {k.what}",
        )
    try:
        raw = read_regular(path, k.max_bytes)
    except OSError as exc:
        raise InputError(strip_controls(os.fspath(path)), problem(exc, k)) from None
    if k.text and b"\x00" in raw:
        raise InputError(name, f"holds NUL bytes: it is not a text file, expected {k.what}")
    return raw


def label(path: str | Path) -> str:
    """How a file is named in messages: its file name, control characters removed."""
    p = Path(path)
    return strip_controls(p.name or str(p))


def exception_text(exc: BaseException, limit: int = 160) -> str:
    """A parser's exception as one short line for a message (it may quote the file: cut, controls removed)."""
    text = str(exc).strip().split("\n", 1)[0] or type(exc).__name__
    text = strip_controls(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
