"""What the web page does with a project file, without the web framework: check, estimate, dossier.

Every run works in its own temporary folder (:func:`impact.fileio.run_tempdir`), removed when the
run ends: the uploaded text is written there under a safe name, read back by the same loader as
the command line (:func:`impact.project.load_project`), estimated like ``impact estimate --format
json`` and turned into a dossier by the command line itself (``python -m impact dossier`` in a
child process, killed at the time limit). The web never reads a server path: a project that names
a data file (``climate.epw``, ``grid.eco2mix``, ``land.parcels``, ``context.*``, also inside an
alternative's ``changes``) is refused with the field named, unless that data file comes with the
request as an upload (a multipart field named after the project-file key, ``climate.epw``): it is
then written in the run's folder under a name made here (``upload-climate-epw.epw``, never the
user's file name), within its kind's size limit (the command line's, :data:`impact.sources.files.KINDS`,
capped at :data:`MAX_DATA_BYTES`), read by the command line's own readers, and the project's
field is set to it in the run's copy of the project only.
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

from ..errors import InputError, Said

#: The largest upload accepted [byte] (the issue: "an upload over 5 MB gets 413").
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Time limit of one dossier [s] (the child process is killed after it).
DOSSIER_TIMEOUT_S = 300.0
#: Dossiers built at the same time; the others wait in the queue.
MAX_RUNNING = 2
#: Dossiers allowed to wait; beyond, the page says to come back later.
MAX_WAITING = 20


#: The kind of data file (a key of :data:`impact.sources.files.KINDS`, its size limit and what it is)
#: that each data-file field of the project reads (a test checks every field of :func:`path_fields`).
PATH_KINDS = {
    "climate.epw": "epw",
    "climate.pvgis": "pvgis",
    "grid.eco2mix": "eco2mix",
    "land.parcels": "cadastre",
    "context.substations": "substations",
    "context.cables": "cables",
    "context.boundaries": "boundaries",
    "context.registry": "registry",
}
#: The largest data file the web takes [byte]: the command line's limit of its kind, at most this
#: (an upload is held on the server's disk while it is read). Above the real files of every kind but
#: the full-resolution boundaries (see :data:`impact.sources.files.KINDS`).
MAX_DATA_BYTES = 50 * 1_000_000
#: All the data files of one request [byte].
MAX_DATA_TOTAL_BYTES = 100 * 1_000_000


class UploadTooLarge(Exception):
    """The upload is larger than :data:`MAX_UPLOAD_BYTES` (``field``: ``project``) or its data-file limit."""

    def __init__(self, field: str = "project", limit: int = MAX_UPLOAD_BYTES) -> None:
        super().__init__(field)
        self.field, self.limit = field, limit

    def message(self) -> str:
        from ..sources.files import format_size

        return f"the upload is larger than {format_size(self.limit)}"


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


def server_paths(text: str, uploaded: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """``(field, message)`` for every data-file path the project text names (the web refuses them),
    but the top-level fields in ``uploaded`` (set by the web to the file uploaded with the request)."""
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
    msg = "names a file on the server: the web page reads no server path; give the file as an upload"
    return [
        (
            prefix + f,
            Said(msg, "loader.web.server_path")
            if prefix
            else Said(msg + f" (the field '{f}')", "loader.web.server_path_field", {"field": f}),
        )
        for prefix, node in places
        for f in path_fields()
        if _get(node, f) is not None and not (not prefix and f in uploaded)
    ]


def path_suffixes(field: str) -> tuple[str, ...]:
    """The file name endings the loader accepts for a data-file field (``('.epw',)``), from its schema pattern."""
    from ..project import MODEL_PATHS
    from ..schema import project_json_schema

    section, _, name = field.rpartition(".")
    model = next(m for m, prefix in MODEL_PATHS.items() if prefix == section)
    prop = project_json_schema()["$defs"][model]["properties"][name]
    for form in prop.get("anyOf", [prop]):
        pattern = str(form.get("pattern", "")) if isinstance(form, dict) else ""
        if pattern.startswith("^.*("):
            parts = pattern[len("^.*(") : -len(")$")].split("|")
            return tuple(re.sub(r"\[(.)(.)\]", r"\1", p).replace("\\", "") for p in parts)
    return ()


@dataclass(frozen=True)
class DataFile:
    """A data file uploaded for the project field ``field``: its bytes and the ending of its name."""

    field: str
    raw: bytes
    suffix: str
    filename: str  # the user's file name, shown on the page only (never a path)

    @property
    def name(self) -> str:
        """Its name in the run's folder, made here: ``upload-climate-epw.epw``."""
        return "upload-" + self.field.replace(".", "-") + self.suffix


def data_file(field: str, filename: str | None, raw: bytes) -> DataFile:
    """The upload for ``field`` checked like the command line checks its file (size, text, name ending).

    Raises :class:`UploadTooLarge` (its field and limit) or :class:`InputError` naming the field.
    The content is read by the command line's reader when the project runs (its format errors name
    the field: :func:`rename_problems`).
    """
    from ..sources.files import KINDS

    kind = KINDS[PATH_KINDS[field]]
    what = Said(kind.what, "web.data.kind." + PATH_KINDS[field])  # the kind's words in the catalogue
    limit = min(kind.max_bytes, MAX_DATA_BYTES)
    if len(raw) > limit:
        raise UploadTooLarge(field, limit)
    if not raw:
        said = Said(f"the uploaded file is empty, expected {kind.what}", "loader.web.upload_empty", {"what": what})
        raise InputError(field, [(field, said)])
    if kind.text and b"\x00" in raw:
        text = f"holds NUL bytes: it is not a text file, expected {kind.what}"
        raise InputError(field, [(field, Said(text, "loader.web.upload_nul", {"what": what}))])
    suffixes = path_suffixes(field)
    base = re.split(r"[\\/]", filename or "")[-1]
    suffix = next((x for x in suffixes if base.lower().endswith(x)), None)
    if suffix is None:
        if suffixes and base:
            ends = " or ".join(suffixes)
            text = f"must be {kind.what}, a file ending in {ends}"
            said = Said(text, "loader.web.upload_suffix", {"what": what, "suffixes": ends})
            raise InputError(field, [(field, said)])
        suffix = suffixes[0] if suffixes else ".dat"
    shown = re.sub(r"[^\w.() -]+", "_", base)[:80] or ("file" + suffix)
    return DataFile(field, raw, suffix, shown)


def with_paths(text: str, paths: dict[str, str]) -> str:
    """The project text with each top-level data-file field of ``paths`` set to its value."""
    import yaml

    if not paths:
        return text
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return text  # the loader says what is wrong
    for dotted, value in paths.items():
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[last] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def rename_problems(exc: InputError, files: tuple[DataFile, ...]) -> InputError:
    """The error with each uploaded file's name in the run's folder replaced by its field.

    A reader's error names its file (``upload-climate-epw.epw: line 1: ...``): it becomes the
    field's (``climate.epw: line 1: ...``), so that the page puts it beside the upload.
    """
    if not files:
        return exc
    by_name = {f.name: f.field for f in files}
    problems = []
    for fld, msg in exc.problems:
        for name, dotted in by_name.items():
            renamed = msg.replace(name, dotted)
            if renamed != msg:  # a Said keeps its key: its parameters do not hold the run's file names
                msg = Said(renamed, msg.key, msg.params) if isinstance(msg, Said) else renamed
        if exc.source in by_name:
            fld, msg = by_name[exc.source], (f"{fld}: {msg}" if fld else msg)
        problems.append((fld, msg))
    source = exc.source if exc.source not in by_name else "project.yaml"
    return InputError(source, problems)


def write_project(folder: Path, text: str, filename: str | None, files: tuple[DataFile, ...] = ()) -> Path:
    """The project text and its uploaded data files written in ``folder``; the project's path."""
    path = folder / safe_name(filename)
    for f in files:
        (folder / f.name).write_bytes(f.raw)
    path.write_text(with_paths(text, {f.field: f.name for f in files}), encoding="utf-8")
    return path


@contextmanager
def project_folder(text: str, filename: str | None = None, files: tuple[DataFile, ...] = ()) -> Iterator[Path]:
    """A temporary folder holding the project text and its data files; removed on exit.

    The loader's and the readers' errors name the uploads' fields (:func:`rename_problems`).
    """
    from ..fileio import run_tempdir

    with run_tempdir("web") as tmp:
        try:
            yield write_project(tmp, text, filename, files)
        except InputError as exc:
            raise rename_problems(exc, files) from None


def decode(raw: bytes, label: str) -> str:
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge("project", MAX_UPLOAD_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(label, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def uploaded_fields(path: Path) -> frozenset[str]:
    """The data-file fields the web set itself: their value is the name it made for an upload
    (:attr:`DataFile.name`) and that file is in the run's folder beside the project."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return frozenset()
    out = set()
    for f in PATH_KINDS:
        names = {"upload-" + f.replace(".", "-") + x for x in path_suffixes(f)}
        value = _get(data, f)
        if isinstance(value, str) and value in names and (path.parent / value).is_file():
            out.add(f)
    return frozenset(out)


def load(path: Path):
    """The project at ``path``, refused when it names a server path (InputError with the fields)
    other than the data files uploaded with it."""
    from ..project import load_project

    project = load_project(path)
    bad = server_paths(path.read_text(encoding="utf-8"), uploaded_fields(path))
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


#: Time limit of one estimate on the web [s] (with its page's figures; about 1-3 s on two cores).
ESTIMATE_TIMEOUT_S = 60.0


class EstimateBusy(Exception):
    """All the estimate slots are taken: the page says to try again, the API answers 503."""


class EstimateTimeout(Exception):
    """An estimate went past its time limit: the page says so, the API answers 504."""


class EstimateLimit:
    """At most ``at_once`` estimates at the same time, each answered within ``timeout`` seconds.

    The work runs in a thread of its own; past the time limit the caller gets :class:`EstimateTimeout`
    while the work goes on to its end in the background, holding its slot until then (so that slow
    estimates cannot pile up), and its temporary folder is removed when it ends. A thread cannot be
    stopped from outside: a child process could be killed, but it costs about 2 s of imports per
    estimate (docs/web.md).
    """

    def __init__(self, at_once: int = MAX_RUNNING, timeout: float = ESTIMATE_TIMEOUT_S) -> None:
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(at_once)

    async def run(self, work):
        """``work()``'s value, or its exception, or EstimateBusy, or EstimateTimeout."""
        import asyncio
        import concurrent.futures

        if not self._slots.acquire(blocking=False):
            raise EstimateBusy()
        done: concurrent.futures.Future = concurrent.futures.Future()

        def target() -> None:
            try:
                value = work()
            except BaseException as exc:  # given to the caller (InputError...)
                self._slots.release()  # free before the caller hears of it
                done.set_exception(exc)
            else:
                self._slots.release()
                done.set_result(value)

        threading.Thread(target=target, name="impact-estimate", daemon=True).start()
        waited = asyncio.wrap_future(done)
        waited.add_done_callback(lambda f: f.cancelled() or f.exception())  # read, even when nobody waits
        try:
            return await asyncio.wait_for(asyncio.shield(waited), self.timeout)
        except TimeoutError:
            raise EstimateTimeout() from None


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
    if parts[0].startswith("upload-"):  # a data file's reader: the whole line (its name becomes its field)
        return "", body
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


def _indicator_value(x: float | None, indicator: str, lang: str) -> str:
    from ..indicators import INDICATORS
    from ..report import fmt

    unit = INDICATORS[indicator].unit
    return fmt.percent(x, lang) if unit in ("-", "share") else fmt.quantity(x, unit, lang)


def more_figures(path: Path, lang: str = "fr") -> dict[str, Any]:
    """The dossier's charts that the result page lacks: the sensitivity (tornado), the cooling modes and
    the alternatives, drawn by the dossier's own functions on the same runs as ``impact dossier``
    (:func:`impact.validate`, the estimate, the alternatives' estimates, :func:`impact.engine.sensitivity`),
    each with a text alternative made from the figures it shows, and the tornado's rows as a table.

    Returns ``{"name", "figures": [{name, src, alt, title}], "sensitivity": {indicator, rows}}``.
    """
    import base64

    from ..engine import DEFAULT_DRAWS, DEFAULT_SEED, estimate, sensitivity
    from ..indicators import INDICATORS
    from ..report import charts
    from ..report.catalogue import catalogue
    from ..report.figures import tornado_indicator
    from ..validation import validate

    load(path)  # no server path
    t = catalogue(lang)
    resolved = validate(path)
    results = estimate(resolved, draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)
    alternatives = [
        (name, estimate(alt, draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)) for name, alt in resolved.alternatives
    ]
    indicator = tornado_indicator(results)
    frame = sensitivity(resolved, indicator)
    moved = frame[frame["swing"] > 0].sort_values("swing", ascending=False, kind="mergesort") if len(frame) else frame
    label = INDICATORS[indicator].label(lang)
    rows = [
        {
            "input": charts.input_label(r["input"], lang),
            "at_low": _indicator_value(r["indicator_at_low"], indicator, lang),
            "at_high": _indicator_value(r["indicator_at_high"], indicator, lang),
        }
        for _, r in moved.iterrows()
    ]
    out: list[dict[str, str]] = []

    def add(name: str, fig, alt: str) -> None:
        if fig is None:
            return
        file = path.with_name(f"more-{name}.png")
        charts.save_figure(fig, file)
        url = "data:image/png;base64," + base64.b64encode(file.read_bytes()).decode("ascii")
        out.append({"name": name, "src": url, "alt": alt, "title": t(f"web.more.{name}")})

    with _FIGURES:
        if len(frame):
            top = t.join([f"{row['input']} ({row['at_low']} – {row['at_high']})" for row in rows[:3]])
            alt = t("web.more.tornado.alt", indicator=label, inputs=top) if rows else t("web.more.tornado.none")
            add("tornado", charts.tornado(frame, indicator, lang=lang), alt)
        shares = [
            t(f"chart.cooling.share.{ind}", share=_indicator_value(share, ind, lang))
            for ind in ("cooling_share_water", "cooling_share_free", "cooling_share_chillers")
            if (share := results.central(ind)) is not None and share > 0
        ]
        add(
            "cooling_modes",
            charts.cooling_modes(results, lang=lang),
            t("web.more.cooling_modes.alt", shares=t.join(shares)),
        )
        if alternatives:
            energy = "facility_energy_mwh"
            bars = [(t("alternatives.declared"), results[energy])] + [(n, r[energy]) for n, r in alternatives]
            values = t.join(
                [
                    f"{n} : {_indicator_value(i.central, energy, lang)}"
                    if lang == "fr"
                    else f"{n}: {_indicator_value(i.central, energy, lang)}"
                    for n, i in bars
                ]
            )
            add(
                "alternatives",
                charts.alternatives_bars(bars, energy, lang=lang),
                t("web.more.alternatives.alt", values=values),
            )
    return {"name": results.project.name, "figures": out, "sensitivity": {"indicator": label, "rows": rows}}


# --------------------------------------------------------------------------- data files kept between pages

#: How long a data file chosen in the form is kept when the form comes back (an error, another button) [s].
KEEP_TTL_S = 600
#: All the kept files together [byte]: beyond, the oldest go first.
MAX_KEPT_BYTES = 4 * MAX_DATA_TOTAL_BYTES
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,40}")


@dataclass
class _Kept:
    field: str
    suffix: str
    filename: str
    size: int
    since: float


class KeptFiles:
    """The data files of a form that came back, kept on the server under a random token.

    A browser cannot fill a file input again: the form carries the token instead (a hidden input
    ``kept.<field>``) and says « fichier gardé : nom ». The bytes are in this server's own temporary
    folder (``impact-webkeep-<pid>-*``, removed at the end, or at the next start if the server was
    killed), under the token as their name; a token is good for its field only, for
    :data:`KEEP_TTL_S` seconds, and can be dropped.
    """

    def __init__(self, ttl: float = KEEP_TTL_S, max_bytes: int = MAX_KEPT_BYTES) -> None:
        import tempfile

        from ..fileio import clean_stale_tempdirs

        clean_stale_tempdirs("webkeep")
        self.ttl, self.max_bytes = ttl, max_bytes
        self.folder = Path(tempfile.mkdtemp(prefix=f"impact-webkeep-{os.getpid()}-"))
        self._kept: dict[str, _Kept] = {}
        self._lock = threading.Lock()

    def put(self, f: DataFile) -> str:
        import secrets

        token = secrets.token_urlsafe(24)
        (self.folder / token).write_bytes(f.raw)
        with self._lock:
            self._kept[token] = _Kept(f.field, f.suffix, f.filename, len(f.raw), time.time())
        self.sweep()
        return token

    def _entry(self, token: Any, field: str) -> _Kept | None:
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            return None
        with self._lock:
            kept = self._kept.get(token)
        if kept is None or kept.field != field or time.time() - kept.since > self.ttl:
            return None
        return kept

    def name(self, token: Any, field: str) -> str:
        """The user's file name of a token still good for ``field``, else ""."""
        kept = self._entry(token, field)
        return kept.filename if kept else ""

    def get(self, token: Any, field: str) -> DataFile | None:
        kept = self._entry(token, field)
        if kept is None:
            return None
        try:
            raw = (self.folder / str(token)).read_bytes()
        except OSError:
            return None
        return DataFile(field, raw, kept.suffix, kept.filename)

    def drop(self, token: Any) -> None:
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            return
        with self._lock:
            self._kept.pop(token, None)
        (self.folder / token).unlink(missing_ok=True)

    def sweep(self) -> None:
        """Drop the files past their time, then the oldest while all of them weigh too much."""
        now = time.time()
        with self._lock:
            items = sorted(self._kept.items(), key=lambda kv: kv[1].since)
        total = sum(k.size for _, k in items)
        for token, kept in items:
            if now - kept.since > self.ttl or total > self.max_bytes:
                total -= kept.size
                self.drop(token)

    def close(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)
