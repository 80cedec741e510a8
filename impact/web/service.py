"""What the web page does with a project file, without the web framework: check, estimate, dossier.

Every run works in its own temporary folder (:func:`impact.fileio.run_tempdir`), removed when the
run ends: the uploaded text is written there under a safe name, read back by the same loader as
the command line (:func:`impact.project.load_project`), estimated like ``impact estimate --format
json`` and turned into a dossier by the command line itself (``python -m impact dossier`` in a
child process, killed at the time limit). The web never reads a server path: a project that names
a data file (``climate.epw``, ``grid.eco2mix``, ``land.parcels``, ``context.*``, also inside an
alternative's ``changes``) is refused with the field named.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError

#: The largest upload accepted [byte] (the issue: "an upload over 5 MB gets 413").
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Time limit of one dossier [s] (the child process is killed after it).
DOSSIER_TIMEOUT_S = 300.0
#: Dossiers built at the same time; the others wait in the queue.
MAX_RUNNING = 2
#: Dossiers allowed to wait; beyond, the page says to come back later.
MAX_WAITING = 20


class UploadTooLarge(Exception):
    """The upload is larger than :data:`MAX_UPLOAD_BYTES`."""


class JobFailed(Exception):
    """A dossier that did not finish (time limit, crash): ``reason`` is ``timeout`` or ``failed``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def safe_name(filename: str | None) -> str:
    """A file name for the upload in the run's folder: its base name if plain, else ``project.yaml``."""
    base = re.split(r"[\\/]", filename or "")[-1]
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.ya?ml", base):
        return base
    return "project.yaml"


@cache
def path_fields() -> tuple[str, ...]:
    """The dotted fields that name a file on disk: the JSON Schema's path patterns
    (:func:`impact.schema.path_pattern`), so a new data file field is refused too."""
    from ..project import MODEL_PATHS
    from ..schema import project_json_schema

    out = []
    defs = project_json_schema()["$defs"]
    for model, prefix in MODEL_PATHS.items():
        for name, prop in defs.get(model, {}).get("properties", {}).items():
            forms = prop.get("anyOf", [prop])
            if any(isinstance(f, dict) and str(f.get("pattern", "")).startswith("^.*(") for f in forms):
                out.append(f"{prefix}.{name}")
    return tuple(out)


def _get(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def server_paths(text: str) -> list[tuple[str, str]]:
    """``(field, message)`` for every data-file path the project text names (the web refuses them)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return []  # the loader says what is wrong with the YAML
    if not isinstance(data, dict):
        return []
    places = [("", data)]
    for i, alt in enumerate(data.get("alternatives") or []):
        if isinstance(alt, dict) and isinstance(alt.get("changes"), dict):
            places.append((f"alternatives[{i}].changes.", alt["changes"]))
    msg = "names a file on the server: the web page reads no server path (use the command line for data files)"
    return [(prefix + f, msg) for prefix, node in places for f in path_fields() if _get(node, f) is not None]


@contextmanager
def project_folder(text: str, filename: str | None = None) -> Iterator[Path]:
    """A temporary folder holding the project text as a file; removed on exit."""
    from ..fileio import run_tempdir

    with run_tempdir("web") as tmp:
        path = tmp / safe_name(filename)
        path.write_text(text, encoding="utf-8")
        yield path


def decode(raw: bytes, label: str) -> str:
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(label, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def load(path: Path):
    """The project at ``path``, refused when it names a server path (InputError with the fields)."""
    from ..project import load_project

    project = load_project(path)
    bad = server_paths(path.read_text(encoding="utf-8"))
    if bad:
        raise InputError(path.name, bad)
    return project


def estimate_results(path: Path):
    """The estimate of the project at ``path``, as ``impact estimate`` computes it (default draws and seed)."""
    from ..engine import DEFAULT_DRAWS, DEFAULT_SEED, estimate

    return estimate(load(path), draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)


def estimate_json(results) -> str:
    """The document of ``impact estimate --format json`` (same escapes of C1 controls and bidi marks)."""
    text = results.to_json()
    return re.sub("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m[0]):04x}", text)


def estimate_csv(results) -> str:
    from ..report.table import format_csv

    return format_csv(results)


def check_for_dossier(path: Path) -> None:
    """What ``impact check`` validates (the alternatives too), plus the web's own refusal of server paths."""
    from ..validation import validate

    load(path)
    validate(path)


# --------------------------------------------------------------------------- the queue


class JobQueue:
    """At most ``running`` jobs at once; the others wait in arrival order (their position is known)."""

    def __init__(self, running: int = MAX_RUNNING, waiting: int = MAX_WAITING) -> None:
        self.running, self.waiting = running, waiting
        self._cond = threading.Condition()
        self._queue: list[int] = []
        self._active = 0
        self._next = 0

    def ticket(self) -> int:
        """A place at the end of the queue (IndexError when the queue is full)."""
        with self._cond:
            if len(self._queue) >= self.waiting:
                raise IndexError("queue full")
            self._next += 1
            self._queue.append(self._next)
            return self._next

    def position(self, ticket: int) -> int:
        """1 for the next job to start, 0 once started (or unknown)."""
        with self._cond:
            return self._queue.index(ticket) + 1 if ticket in self._queue else 0

    @contextmanager
    def slot(self, ticket: int) -> Iterator[None]:
        """Wait for the ticket's turn, hold a slot while the body runs."""
        with self._cond:
            while not (self._queue and self._queue[0] == ticket and self._active < self.running):
                self._cond.wait(0.5)
            self._queue.pop(0)
            self._active += 1
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    def leave(self, ticket: int) -> None:
        with self._cond:
            if ticket in self._queue:
                self._queue.remove(ticket)
                self._cond.notify_all()


@dataclass
class DossierFiles:
    pdf: bytes
    markdown: str
    seconds: float


def build_dossier_files(path: Path, lang: str = "fr", timeout: float = DOSSIER_TIMEOUT_S) -> DossierFiles:
    """Run ``python -m impact dossier`` on ``path`` in a child process; the PDF and draft it wrote.

    The child is the command line itself (same checks, same output); it is killed at ``timeout``.
    """
    out = path.with_name(path.stem + "-dossier.pdf")
    cmd = [sys.executable, "-m", "impact", "dossier", path.name, "-o", out.name, "--lang", lang, "--force"]
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, cwd=path.parent, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise JobFailed("timeout") from None
    if done.returncode == 2:
        problems = [_problem(line) for line in done.stderr.splitlines() if line.startswith("error: ")]
        raise InputError(path.name, problems or [("", "the dossier could not be written")])
    if done.returncode != 0 or not out.exists():
        raise JobFailed("failed", done.stderr[-2000:])
    return DossierFiles(out.read_bytes(), out.with_suffix(".md").read_text(encoding="utf-8"), time.perf_counter() - t0)


def _problem(line: str) -> tuple[str, str]:
    """``error: file: field: message`` -> ``(field, message)`` (the command line's format)."""
    body = line[len("error: ") :]
    parts = body.split(": ", 2)
    if len(parts) == 3 and re.fullmatch(r"[A-Za-z0-9_.\[\]]+", parts[1]):
        return parts[1], parts[2]
    return "", parts[-1] if len(parts) > 1 else body


_FIGURES = threading.Lock()  # one page's figures at a time: they take a core for a second or two


def page_figures(results, folder: Path, lang: str = "fr") -> list[dict[str, str]]:
    """The map of the site and three charts of the dossier, as ``data:`` URLs with their alternative text.

    Drawn by the dossier's own functions (:mod:`impact.report.maps`, :mod:`impact.report.charts`) on the
    shipped France-wide data (the web gives no data file); a figure that cannot be drawn is left out.
    """
    import base64

    from ..project_data import load_context
    from ..report import charts, maps
    from ..report.catalogue import catalogue
    from ..report.figures import map_context

    t = catalogue(lang)
    out = []

    def add(name: str, fig, save, alt: str) -> None:
        if fig is None:
            return
        path = folder / f"{name}.png"
        save(fig, path)
        url = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        out.append({"name": name, "src": url, "alt": alt, "title": t(f"web.figure.{name}")})

    with _FIGURES:
        if results.project.location is not None:
            try:
                ctx = map_context(load_context(results.project), lang, None)
                fig = maps.site_map(results, scale="city", context=ctx, lang=lang, text_below=False)
                add("map", fig, maps.save_figure, maps.map_caption(fig, lang) or t("web.figure.map"))
            except (InputError, OSError, ValueError):
                pass
        for name, make in (
            ("monthly", charts.monthly_electricity),
            ("water", charts.water_bars),
            ("carbon", charts.carbon_bars),
        ):
            try:
                add(name, make(results, lang=lang), charts.save_figure, t(f"web.figure.{name}.alt"))
            except (ValueError, KeyError):
                continue
    return out
