"""Writing files safely: through a temporary name, published only when complete.

- Output paths are checked before any computation (:func:`check_targets`): the folder
  exists and takes a new file (a real probe), the target is not a folder nor a device, the
  targets are distinct files and none is an input, an existing one needs ``force``.
- The temporary file is created exclusively (``O_CREAT | O_EXCL``), beside the target,
  under a name holding this run's pid and a random part: two runs never share one.
- Without ``overwrite`` it is published with :func:`os.link` (atomic, never replaces a
  file): if another run created the target meanwhile, this run fails clearly and leaves
  the other's file alone. With ``overwrite`` it replaces the target (:func:`os.replace`).
- A run killed before it could clean up leaves its temporary files; the next run that
  writes into that folder removes those of runs no longer alive (only names of impact's
  own pattern), and likewise the temporary folders (:func:`run_tempdir`).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError

#: ``.<name>.impact-<pid>-<random>.tmp``: the temporary files this module creates.
_TMP = re.compile(r"^\.(?P<name>.+)\.impact-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")
#: ``.<name>.<pid>.tmp``: those of impact before 0.x (removed beside the same target only).
_LEGACY_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")
#: ``impact-<kind>-<pid>-<random>``: this module's temporary folders.
_TMPDIR = re.compile(r"^impact-(?P<kind>[a-z]+)-(?P<pid>\d+)-[a-z0-9_]+$")
#: A temporary name keeps this much of the target's name (file names are at most 255 bytes).
_NAME_CHARS = 100
#: Errors of writing that are the disk's or the folder's, not impact's: said in one line.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}

_cleaned: set[tuple[str, str]] = set()  # (folder, kind) already swept by this process


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on this machine)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except (OverflowError, ValueError, OSError):
        return False
    return True


def _ours(entry: os.DirEntry, directory: bool) -> bool:
    """An entry of the current user, of the right type, not a symbolic link."""
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    kind = stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)
    return kind and (not hasattr(os, "geteuid") or st.st_uid == os.geteuid())


def clean_stale(folder: Path, names=()) -> list[Path]:
    """Remove from ``folder`` the temporary files of impact runs that are no longer alive.

    Only regular files of the current user named like this module's temporary files
    (``.<name>.impact-<pid>-<random>.tmp``), or like the older ``.<name>.<pid>.tmp`` for a
    target of ``names``, whose pid is not a live process. Returns the paths removed; never
    raises (a folder that cannot be read is left as it is).
    """
    folder = Path(folder)
    removed: list[Path] = []
    legacy = set(names)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TMP.match(entry.name) or (_LEGACY_TMP.match(entry.name) if legacy else None)
        if m is None or (m.re is _LEGACY_TMP and m["name"] not in legacy):
            continue
        if pid_alive(int(m["pid"])) or not _ours(entry, directory=False):
            continue
        try:
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def _sweep_once(folder: Path, names=()) -> None:
    """:func:`clean_stale` on ``folder``, once per process (a batch writes many files there)."""
    key = (str(Path(folder).absolute()), "files")
    if key not in _cleaned:
        _cleaned.add(key)
        clean_stale(folder, names)


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name[:_NAME_CHARS]}.impact-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _open_exclusive(path: Path) -> Path:
    """A new, empty temporary file beside ``path``, created exclusively (OSError if it cannot be)."""
    while True:
        tmp = _temp_name(path)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except FileExistsError:  # 32 random bits taken: draw again
            continue
        os.close(fd)
        return tmp


def _create_temp(path: Path) -> Path:
    try:
        return _open_exclusive(path)
    except OSError as exc:
        raise _write_error([path], exc) from None


def _write_error(paths, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    return InputError(", ".join(str(p) for p in paths), f"could not be written ({reason}); nothing was written")


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _publish(tmp: Path, path: Path, overwrite: bool) -> None:
    """Move the complete ``tmp`` to ``path``; without ``overwrite``, only if ``path`` is still free."""
    if overwrite:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise InputError(
            str(path),
            "was created by another run while this one was writing; it was left as it is (use --force to overwrite it)",
        ) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK, errno.EXDEV):
            raise
        # A file system without hard links (FAT, some network shares): checked, then renamed.
        if os.path.lexists(path):
            raise InputError(
                str(path),
                "was created by another run while this one was writing; it was left "
                "as it is (use --force to overwrite it)",
            ) from None
        os.rename(tmp, path)
        return
    _unlink(tmp)


@contextmanager
def staged_files(paths, *, overwrite: bool = True):
    """Yield a temporary path beside each of ``paths``; when the block succeeds, all are
    published (see :func:`_publish`), else none is and the temporary files vanish.

    Without ``overwrite``, a target that another run created meanwhile is an
    :class:`InputError`, and the targets this call had already published are removed
    again (all or nothing). A write that fails for want of space or permission is an
    InputError naming the target. Stale temporary files of dead runs in the targets'
    folders are removed first.
    """
    paths = [Path(p) for p in paths]
    for folder in dict.fromkeys(p.parent for p in paths):
        _sweep_once(folder, [p.name for p in paths if p.parent == folder])
    tmps: list[Path] = []
    published: list[tuple[Path, tuple[int, int]]] = []
    try:
        for p in paths:
            tmps.append(_create_temp(p))
        try:
            yield tmps
        except OSError as exc:
            if exc.errno in _WRITE_ERRORS:
                named = [p for p, t in zip(paths, tmps, strict=False) if exc.filename and Path(exc.filename) == t]
                raise _write_error(named or paths, exc) from None
            raise
        for tmp, p in zip(tmps, paths, strict=True):
            st = os.stat(tmp)
            try:
                _publish(tmp, p, overwrite)
            except OSError as exc:
                if exc.errno in _WRITE_ERRORS:
                    raise _write_error([p], exc) from None
                raise
            published.append((p, (st.st_dev, st.st_ino)))
    except BaseException:
        if not overwrite:  # all or nothing: remove what this call published (if still ours)
            for p, ident in published:
                try:
                    st = os.stat(p, follow_symlinks=False)
                except OSError:
                    continue
                if (st.st_dev, st.st_ino) == ident:
                    _unlink(p)
        raise
    finally:
        for tmp in tmps:
            _unlink(tmp)


@contextmanager
def staged(path: Path, *, overwrite: bool = True):
    """Yield a temporary path beside ``path``; on success it becomes ``path``, on error it vanishes.

    ``overwrite`` (default True, as before): replace an existing ``path``; False: fail
    with an InputError if ``path`` exists when the block ends (another run wrote it).
    """
    with staged_files([path], overwrite=overwrite) as (tmp,):
        yield tmp


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (no half-written file, ever); see :func:`staged`."""
    with staged(path, overwrite=overwrite) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


# ----------------------------------------------------------------------------- checks
def _probe(folder: Path) -> OSError | None:
    """Create and remove a file in ``folder``: None when it can be written, else the error."""
    try:
        tmp = _open_exclusive(folder / "probe")
    except OSError as exc:
        return exc
    _unlink(tmp)
    return None


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder if folder.is_dir() else ".", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_targets(targets, *, force: bool = False, inputs=()) -> list[Path]:
    """Check output paths before any computation; returns them as Paths.

    ``targets``: ``(option, path)`` pairs (``("-o", "x.pdf")``) or paths. Each target's
    folder must exist and take a new file (tried for real), the target must not be a
    folder nor a special file, the targets must be distinct files and none may be one of
    ``inputs`` (the files the run reads); an existing target needs ``force``.

    Raises
    ------
    InputError
        naming the target (or the option) and what is expected.
    """
    pairs = [(None, Path(t)) if not isinstance(t, tuple) else (t[0], Path(t[1])) for t in targets]
    for _, path in pairs:  # before anything touches the path (the OS refuses such names)
        if len(os.fsencode(path.name)) > _name_max(path.parent):
            raise InputError(str(path), f"file name too long (at most {_name_max(path.parent)} bytes)")
    seen: list[tuple[str | None, Path]] = []
    for option, path in pairs:
        label = str(path)
        for other_option, other in seen:
            if _same_file(path, other):
                a, b = option or str(path), other_option or str(other)
                raise InputError(a, f"names the same file as {b} ({other}): give each output its own file")
        for source in inputs:
            if source is not None and Path(source).exists() and _same_file(path, Path(source)):
                raise InputError(label, "is an input of this run: give the output another file name")
        if path.is_dir():
            raise InputError(label, "is a folder: give a file name")
        if os.path.lexists(path):
            if not path.is_file():
                raise InputError(label, "exists and is not a regular file: give another file name")
            if not force:
                raise InputError(label, "already exists; use --force to overwrite it")
        folder = path.parent
        if not folder.is_dir():
            what = "is not a folder" if os.path.lexists(folder) else "does not exist"
            raise InputError(label, f"folder {folder} {what}")
        _sweep_once(folder, [p.name for _, p in pairs if p.parent == folder])
        error = _probe(folder)  # the truth (read-only file system, quota, ACL...); access() as well
        if error is None and not os.access(folder, os.W_OK | os.X_OK):
            error = OSError(errno.EACCES, os.strerror(errno.EACCES))
        if error is not None:
            raise InputError(label, f"cannot write in folder {folder} ({error.strerror or error})")
        seen.append((option, path))
    return [p for _, p in pairs]


# ----------------------------------------------------------------------------- folders
def clean_stale_tempdirs(kind: str, root: Path | None = None) -> list[Path]:
    """Remove the temporary folders ``impact-<kind>-<pid>-*`` of dead runs from the system's
    temporary folder (``root``); only folders of the current user, never a link."""
    root = Path(root or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        m = _TMPDIR.match(entry.name)
        if m is None or m["kind"] != kind or pid_alive(int(m["pid"])) or not _ours(entry, directory=True):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        if not os.path.lexists(entry.path):
            removed.append(Path(entry.path))
    return removed


@contextmanager
def run_tempdir(kind: str):
    """A temporary folder of this run (``impact-<kind>-<pid>-<random>``), removed at the end;
    those that dead runs of the same kind left behind are removed first."""
    key = (tempfile.gettempdir(), kind)
    if key not in _cleaned:
        _cleaned.add(key)
        clean_stale_tempdirs(kind)
    with tempfile.TemporaryDirectory(prefix=f"impact-{kind}-{os.getpid()}-") as tmp:
        yield Path(tmp)
