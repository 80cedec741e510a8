"""The web application: the form, the result page, the dossier jobs and the API (FastAPI, Jinja2).

Server-rendered pages, no script: every action is a form button. User text is data: Jinja2
autoescapes everything, downloads are sent as attachments, and the pages forbid scripts and
frames (Content-Security-Policy). Routes:

- ``GET /`` the form (``?lang=en`` in English); ``POST /`` its buttons (estimate, upload a project
  file, find a commune, add a claim row, download the form as a project file);
- ``POST /dossier`` queues a PDF dossier, ``GET /jobs/<id>`` shows its place in the queue
  (refreshing itself), ``GET /jobs/<id>/pdf`` sends it once and deletes it;
- ``POST /download/<what>`` the estimate as CSV or JSON, the project file, the draft contribution;
- ``POST /api/estimate``, ``POST /api/dossier`` (multipart field ``project``), ``GET /api/schema``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from .. import __version__
from ..errors import InputError, Said
from . import form as F
from . import service as S

#: Jobs kept this long after they end [s] when nobody downloads them.
JOB_TTL_S = 600
#: The form's hidden inputs that carry a kept data file's token: ``kept.climate.epw``.
KEPT = "kept."
#: What a busy server asks to wait before trying again [s] (an estimate takes a few seconds).
RETRY_AFTER_S = 10
#: The body of any request: the project upload, its data files and the form's fields [byte].
MAX_BODY_BYTES = S.MAX_UPLOAD_BYTES + S.MAX_DATA_TOTAL_BYTES + 2 * 1024 * 1024

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _lang(value: Any) -> str:
    return "en" if value == "en" else "fr"


# --------------------------------------------------------------------------- templates


def _env():
    import jinja2

    from ..paths import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "web"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


class Pages:
    def __init__(self) -> None:
        self.env = _env()

    def render(self, template: str, lang: str, status: int = 200, **context: Any) -> HTMLResponse:
        from ..report.catalogue import catalogue

        t = catalogue(lang)
        html = self.env.get_template(template).render(lang=lang, t=t, version=__version__, **context)
        return HTMLResponse(html, status_code=status)


def _unit_words(unit: str, lang: str) -> str:
    from ..report import fmt

    if unit in ("-", "", "date", "path"):  # no unit: a date says its form in its help
        return ""
    if unit == "degree":
        return "°"
    try:
        return fmt.unit_text(unit, lang)
    except LookupError:
        return unit


def _choice_label(f: F.Field, value: str, lang: str) -> str:
    from ..report.catalogue import CatalogueError, catalogue

    if f.name == "claims.indicator":
        from ..indicators import INDICATORS

        return f"{INDICATORS[value].label(lang)} ({value})"
    try:
        return catalogue(lang)(f"web.choice.{f.name}.{value}")
    except CatalogueError:
        return value


def _bounds_words(f: F.Field, lang: str) -> str:
    from ..report import fmt

    b = f.bounds
    low = b.get("minimum", b.get("exclusiveMinimum"))
    high = b.get("maximum", b.get("exclusiveMaximum"))

    def num(x: float) -> str:  # a year or a small whole number without a thousands space
        return str(int(x)) if float(x).is_integer() and abs(x) < 10000 else fmt.plain(x, lang)

    parts = []
    if low is not None:
        parts.append(("> " if "exclusiveMinimum" in b else "≥ ") + num(low))
    if high is not None:
        parts.append(("< " if "exclusiveMaximum" in b else "≤ ") + num(high))
    return ", ".join(parts)


def _problem_text(problem: F.Problem, lang: str) -> str:
    from ..report import fmt
    from ..report.catalogue import catalogue

    key, args = problem
    t = catalogue(lang)
    args = {k: fmt.plain(v, lang) if isinstance(v, (int, float)) else v for k, v in args.items()}
    return t(key, **args)


def said_text(message: str, lang: str) -> str | None:
    """The loader's message in ``lang``, from the catalogue key it carries (:class:`impact.errors.Said`);
    None when it carries none (a data file reader's message, say)."""
    from ..report import fmt
    from ..report.catalogue import catalogue

    key = getattr(message, "key", None)
    t = catalogue(lang)
    if not isinstance(key, str) or not t.has(key):
        return None
    args = {}
    for name, value in message.params.items():  # type: ignore[attr-defined]
        if isinstance(value, str):
            args[name] = said_text(value, lang) or value
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            args[name] = str(value)
        elif isinstance(value, int) and abs(value) < 10000:  # a year, a count, an index: no thousands space
            args[name] = str(value)
        else:
            args[name] = fmt.plain(value, lang)
    return t(key, **args)


def loader_text(message: str, lang: str) -> str:
    """The loader's message as the page says it: in its language when it has a key, else introduced
    as the model's own (English) words."""
    from ..report.catalogue import catalogue

    said = said_text(message, lang)
    if said is None:
        return catalogue(lang)("web.error.loader", message=message)
    first = said.split(" ", 1)[0]
    if re.search(r"[_\[\].{]", first):  # a field's name (water_out_c) keeps its case
        return said
    return said[:1].upper() + said[1:]  # alone beside its field, as the form's own messages


def _problem_lines(problems: list, lang: str) -> list[str]:
    return [f"{f}: {said_text(m, lang) or m}" if f else (said_text(m, lang) or m) for f, m in problems]


# --------------------------------------------------------------------------- jobs


@dataclass
class Job:
    id: str
    ticket: int
    name: str
    lang: str
    folder: Path
    state: str = "waiting"  # waiting, running, done, timeout, failed, input
    started: float = 0.0
    ended: float = 0.0
    seconds: float = 0.0
    pdf: Path | None = None
    problems: list = field(default_factory=list)


class Jobs:
    def __init__(self, queue: S.JobQueue, timeout: float) -> None:
        from ..fileio import clean_stale_tempdirs

        clean_stale_tempdirs("webjob")  # the job folders that a server killed before its end left behind
        self.queue, self.timeout = queue, timeout
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, text: str, name: str, lang: str, files: tuple[S.DataFile, ...] = ()) -> Job:
        ticket = self.queue.ticket()  # IndexError: full
        folder = Path(tempfile.mkdtemp(prefix=f"impact-webjob-{os.getpid()}-"))
        path = S.write_project(folder, text, "project.yaml", files)
        job = Job(secrets.token_urlsafe(16), ticket, name, lang, folder)
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, path, files), daemon=True).start()
        return job

    def _run(self, job: Job, path: Path, files: tuple[S.DataFile, ...] = ()) -> None:
        with self.queue.slot(job.ticket):
            job.state, job.started = "running", time.time()
            try:
                S.load(path)  # no server path, before the child reads anything
                out = S.build_dossier_files(path, job.lang, self.timeout)
                job.pdf = path.with_name("job.pdf")
                job.pdf.write_bytes(out.pdf)
                job.seconds, job.state = out.seconds, "done"
            except InputError as exc:
                job.state, job.problems = "input", S.rename_problems(exc, files).problems
            except S.JobFailed as exc:
                job.state = exc.reason
            except Exception:  # the page says it failed; the server goes on
                job.state = "failed"
            job.ended = time.time()

    def get(self, job_id: str) -> Job | None:
        self.sweep()
        with self._lock:
            return self._jobs.get(job_id)

    def remove(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def sweep(self) -> None:
        now = time.time()
        with self._lock:
            old = [j for j in self._jobs.values() if j.ended and now - j.ended > JOB_TTL_S]
        for j in old:
            self.remove(j)

    def close(self) -> None:
        with self._lock:
            jobs = list(self._jobs.values())
        for j in jobs:
            self.remove(j)


# --------------------------------------------------------------------------- the app


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 (counted, not trusted from headers)."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await _too_large(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(scope, receive, send)


class _TooLarge(Exception):
    pass


async def _too_large(scope, receive, send):
    from ..sources.files import format_size

    message = f"the request is larger than {format_size(MAX_BODY_BYTES)}"
    response = JSONResponse([{"field": "project", "message": message}], status_code=413)
    await response(scope, receive, send)


def create_app(
    *,
    running: int = S.MAX_RUNNING,
    waiting: int = S.MAX_WAITING,
    timeout: float = S.DOSSIER_TIMEOUT_S,
    estimate_timeout: float = S.ESTIMATE_TIMEOUT_S,
):
    """The FastAPI application: ``running`` dossiers at once, ``waiting`` in the queue, ``timeout`` s each;
    ``running`` estimates at once too, ``estimate_timeout`` s each."""
    from contextlib import asynccontextmanager

    pages = Pages()
    queue = S.JobQueue(running, waiting)
    jobs = Jobs(queue, timeout)
    kept = S.KeptFiles()
    estimates = S.EstimateLimit(running, estimate_timeout)

    @asynccontextmanager
    async def lifespan(app):
        yield
        jobs.close()
        kept.close()

    app = FastAPI(title="impact", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.jobs = jobs
    app.state.kept = kept
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        origin = request.headers.get("origin")
        if request.method == "POST" and origin and origin != "null":
            from urllib.parse import urlsplit

            if urlsplit(origin).netloc != request.headers.get("host"):
                # another site's page posting here (cross-site request): refused; scripts send no Origin
                return JSONResponse([{"field": "", "message": "cross-site request refused"}], 403)
        try:
            response = await call_next(request)
        finally:
            form = getattr(request.state, "form", None)
            if form is not None:
                await form.close()
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def run_estimate(path: Path):
        return S.estimate_results(path)

    def estimate_refused(exc: Exception) -> JSONResponse:
        """503 (every slot taken, Retry-After) or 504 (past the time limit) for the API and downloads."""
        if isinstance(exc, S.EstimateBusy):
            message = "too many estimates at once: try again in a few seconds"
            return JSONResponse([{"field": "", "message": message}], 503, {"Retry-After": str(RETRY_AFTER_S)})
        message = f"the estimate went past its time limit ({estimate_timeout:g} s) and was stopped"
        return JSONResponse([{"field": "", "message": message}], 504)

    async def read_form(request: Request):
        form = await request.form(
            max_files=2 + len(S.PATH_KINDS), max_fields=2000, max_part_size=S.MAX_UPLOAD_BYTES + 1
        )
        request.state.form = form  # closed (its spooled upload deleted) once the response is made
        return form

    async def upload_text(upload: Any) -> tuple[str, str]:
        """The text of an uploaded project and its safe file name (UploadTooLarge, InputError)."""
        if not isinstance(upload, UploadFile):
            raise InputError("project", [("project", "expected a project file as the multipart field 'project'")])
        raw = await upload.read(S.MAX_UPLOAD_BYTES + 1)
        name = S.safe_name(upload.filename)
        return S.decode(raw, name), name

    async def data_files(form, tokens: bool = False) -> tuple[S.DataFile, ...]:
        """The data files uploaded with the request, each as the multipart field of its project key
        (``climate.epw``); an empty file input is no upload. UploadTooLarge, InputError name the field.
        ``tokens``: a field without an upload takes the file kept under its token (``kept.climate.epw``)."""
        out, total = [], 0
        for dotted in S.PATH_KINDS:
            upload = form.get(dotted)
            if not isinstance(upload, UploadFile) or not (upload.filename or upload.size):
                token = form.get(KEPT + dotted) if tokens else None
                if token:
                    file = kept.get(token, dotted)
                    if file is None:
                        said = Said("the kept file is no longer on the server: choose it again", "web.kept.expired")
                        raise InputError(dotted, [(dotted, said)])
                    out.append(file)
                continue
            raw = await upload.read(S.MAX_DATA_BYTES + 1)
            total += len(raw)
            if total > S.MAX_DATA_TOTAL_BYTES:
                raise S.UploadTooLarge(dotted, S.MAX_DATA_TOTAL_BYTES)
            out.append(S.data_file(dotted, upload.filename, raw))
        return tuple(out)

    def too_large(exc: S.UploadTooLarge) -> JSONResponse:
        return JSONResponse([{"field": exc.field, "message": exc.message()}], 413)

    # ------------------------------------------------------------------- API

    def problems_json(exc: InputError) -> JSONResponse:
        return JSONResponse([{"field": f, "message": m} for f, m in exc.problems], status_code=422)

    @app.get("/api/schema")
    def api_schema() -> JSONResponse:
        from ..schema import project_json_schema

        return JSONResponse(project_json_schema())

    @app.post("/api/estimate")
    async def api_estimate(request: Request) -> Response:
        try:
            form = await read_form(request)
            text, name = await upload_text(form.get("project"))
            files = await data_files(form)

            def work() -> str:
                with S.project_folder(text, name, files) as path:
                    return S.estimate_json(run_estimate(path))

            body = await estimates.run(work)
        except S.UploadTooLarge as exc:
            return too_large(exc)
        except InputError as exc:
            return problems_json(exc)
        except (S.EstimateBusy, S.EstimateTimeout) as exc:
            return estimate_refused(exc)
        return Response(body, media_type="application/json")

    @app.post("/api/dossier")
    async def api_dossier(request: Request) -> Response:
        form = await read_form(request)
        lang = _lang(form.get("lang"))
        try:
            text, name = await upload_text(form.get("project"))
            files = await data_files(form)
            ticket = queue.ticket()
        except S.UploadTooLarge as exc:
            return too_large(exc)
        except InputError as exc:
            return problems_json(exc)
        except IndexError:
            return JSONResponse([{"field": "", "message": "too many dossiers waiting"}], 503, {"Retry-After": "60"})

        def work() -> bytes:
            try:
                with S.project_folder(text, name, files) as path:
                    S.check_for_dossier(path)
                    with queue.slot(ticket):
                        return S.build_dossier_files(path, lang, timeout).pdf
            finally:
                queue.leave(ticket)

        try:
            pdf = await run_in_threadpool(work)
        except InputError as exc:
            return problems_json(exc)
        except S.JobFailed as exc:
            return JSONResponse([{"field": "", "message": f"the dossier was not built ({exc.reason})"}], 500)
        stem = Path(name).stem
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{stem}-dossier.pdf"'},
        )

    # ------------------------------------------------------------------- pages

    def data_inputs(lang: str) -> list[dict[str, str]]:
        """The file inputs of the data files: name, id, what is expected and the size limit."""
        from ..report.catalogue import catalogue
        from ..sources.files import KINDS

        t = catalogue(lang)
        out = []
        for name, kind in S.PATH_KINDS.items():
            suffixes = S.path_suffixes(name)
            size = _size_words(min(KINDS[kind].max_bytes, S.MAX_DATA_BYTES), lang)
            what = t(f"web.data.kind.{kind}")
            words = (" ou " if lang == "fr" else " or ").join(suffixes)
            out.append(
                {
                    "name": name,
                    "id": F.input_id(name),
                    "accept": ",".join(suffixes),
                    "limit": t("web.data.limit", what=what[:1].upper() + what[1:], suffixes=words, size=size),
                }
            )
        return out

    def form_page(lang: str, values: dict[str, str], status: int = 200, **extra: Any) -> HTMLResponse:
        from ..report.catalogue import catalogue

        t = catalogue(lang)
        headers = extra.pop("headers", {})

        def label(name: str) -> str:
            if name == F.OTHER_NAME:
                return t("web.section.other")
            if name in S.PATH_KINDS:
                return t(f"web.data.{name}")
            lists = "|".join(re.escape(n) for n in F.ROW_LISTS)
            m = re.fullmatch(rf"({lists})\.(\d+)\.(\w+)", name)
            if m:
                return t(f"web.{m[1]}.row", n=int(m[2]) + 1) + " – " + t(f"web.field.{m[1]}.{m[3]}")
            m = re.fullmatch(r"alternatives\.(\d+)\.(?:changes\.(\d+)\.(field|value)|(\w+))", name)
            if m:
                row = t("web.alternatives.row", n=int(m[1]) + 1) + " – "
                if m[4]:
                    return row + t(f"web.field.alternatives.{m[4]}")
                return row + t(f"web.alternatives.{m[3]}", n=int(m[2]) + 1)
            return t(f"web.field.{name}")

        links = [
            (F.input_id(k), t("web.errors.go", label=label(k), message=v)) for k, v in extra.get("errors", {}).items()
        ]
        context = {
            "error_links": links,
            "sections": F.sections(),
            "lists": [(name, F.list_fields(name), F.list_rows(values, name)) for name in F.ROW_LISTS],
            "alternative_fields": F.alternative_fields(),
            "alternative_rows": F.alternative_rows(values),
            "changeable": F.changeable_fields(),
            "data_fields": data_inputs(lang),
            "kept_name": kept.name,
            "kept_minutes": int(kept.ttl // 60),
            "values": values,
            "errors": {},
            "top_errors": [],
            "notice": "",
            "communes": [],
            "other_name": F.OTHER_NAME,
            "unit_words": lambda u: _unit_words(u, lang),
            "choice_label": lambda f, v: _choice_label(f, v, lang),
            "bounds_words": lambda f: _bounds_words(f, lang),
        }
        context.update(extra)
        response = pages.render("form.html.j2", lang, status, **context)
        response.headers.update(headers)
        return response

    @app.get("/", response_class=HTMLResponse)
    def index(lang: str = "fr") -> HTMLResponse:
        return form_page(_lang(lang), {"country": "FR"})  # the France-wide data: France unless told

    @app.get("/web.css")
    def css() -> Response:
        from ..paths import templates_dir

        return Response((templates_dir() / "web" / "web.css").read_bytes(), media_type="text/css")

    @app.post("/", response_class=HTMLResponse)
    async def submit(request: Request) -> Response:
        from ..report.catalogue import catalogue

        form = await read_form(request)
        lang = _lang(form.get("lang"))
        t = catalogue(lang)
        values = {k: v for k, v in form.items() if isinstance(v, str) and k not in ("action", "lang")}
        values = {k: v for k, v in values.items() if k not in ("use_commune", "project_yaml")}
        action = str(form.get("action") or "")
        # the data files chosen now are kept (a browser cannot fill a file input again): the form
        # carries their tokens (kept.<field>) whatever comes back, an error or another button
        try:
            for upload in await data_files(form):
                kept.drop(values.get(KEPT + upload.field))
                values[KEPT + upload.field] = kept.put(upload)
        except S.UploadTooLarge as exc:
            msg = t("web.error.data_too_large", size=_size_words(exc.limit, lang))
            return form_page(lang, values, 413, errors={exc.field: msg}, top_errors=[t("web.errors.summary", n=1)])
        except InputError as exc:
            errors = {f: loader_text(m, lang) for f, m in exc.problems}
            return form_page(lang, values, 422, errors=errors, top_errors=[t("web.errors.summary", n=len(errors))])
        if action.startswith("drop_file:"):
            kept.drop(values.pop(KEPT + action.partition(":")[2], None))
            return form_page(lang, values)
        if action == "switch_lang":  # the other language, with everything typed
            return form_page("en" if lang == "fr" else "fr", values)
        if form.get("use_commune"):
            return use_commune(lang, values, str(form.get("use_commune")))
        if action == "upload":
            upload = form.get("project")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return form_page(lang, values, 422, top_errors=[t("web.upload.missing")])
            try:
                text, name = await upload_text(upload)
                data = _yaml_mapping(text, name)
            except S.UploadTooLarge:
                return form_page(lang, values, 413, top_errors=[t("web.error.too_large")])
            except InputError as exc:
                return form_page(
                    lang, values, 422, top_errors=[t("web.errors.file"), *_problem_lines(exc.problems, lang)]
                )
            tokens = {k: v for k, v in values.items() if k.startswith(KEPT)}  # the data files stay
            return form_page(lang, {**F.values_from_data(data), **tokens}, notice=t("web.upload.done", file=name))
        if action == "edit":  # back from the result page: the form as it was sent
            try:
                data = _yaml_mapping(str(form.get("project_yaml") or ""), "project.yaml")
            except InputError as exc:
                return form_page(lang, {}, 422, top_errors=[t("web.errors.file"), *_problem_lines(exc.problems, lang)])
            return form_page(lang, F.values_from_data(data))
        if action == "find_commune":
            return find_commune(lang, values)
        if action == "add_alternative":
            values[f"alternatives.{len(F.alternative_rows(values))}.name"] = ""
            return form_page(lang, values)
        if action.startswith("add_row_") and action[len("add_row_") :] in F.ROW_LISTS:
            list_name = action[len("add_row_") :]
            n = F.list_rows(values, list_name)
            values[f"{list_name}.{n}.{F.list_fields(list_name)[0].name.rpartition('.')[2]}"] = ""
            return form_page(lang, values)
        data, problems = F.data_from_values(values)
        errors = {k: _problem_text(p, lang) for k, p in problems.items()}
        if errors:
            return form_page(lang, values, 422, errors=errors, top_errors=[t("web.errors.summary", n=len(errors))])
        text = F.project_text(data)
        if action == "download_project":
            return _attachment(text, _file_stem(data) + ".yaml", "application/yaml")
        held = {k: kept.get(values[KEPT + k], k) for k in S.PATH_KINDS if values.get(KEPT + k)}
        lost = {k: t("web.kept.expired") for k, file in held.items() if file is None}
        if lost:
            for k in lost:
                values.pop(KEPT + k, None)
            return form_page(lang, values, 422, errors=lost, top_errors=[t("web.errors.summary", n=len(lost))])
        files = tuple(file for file in held.values() if file is not None)

        def work():
            with S.project_folder(text, "project.yaml", files) as path:
                r = run_estimate(path)
                return r, S.page_figures(r, path.parent, lang)

        try:
            results, figures = await estimates.run(work)
        except S.EstimateBusy:
            top = [t("web.estimate.busy")]
            return form_page(lang, values, 503, top_errors=top, headers={"Retry-After": str(RETRY_AFTER_S)})
        except S.EstimateTimeout:
            from ..report import fmt

            top = [t("web.estimate.timeout", seconds=fmt.plain(estimate_timeout, lang))]
            return form_page(lang, values, 504, top_errors=top)
        except InputError as exc:
            errors, top = {}, []
            for f, m in exc.problems:
                name = f if f in S.PATH_KINDS else F.input_name(f, m, values)
                if name:
                    m = loader_text(m, lang)
                    if name == F.OTHER_NAME and f:  # a box of YAML: which of its fields
                        m = t("web.error.in_box", field=f, message=m)
                    errors[name] = (errors[name] + " " if name in errors else "") + m
                else:
                    top.extend(_problem_lines([(f, m)], lang))
            top.insert(0, t("web.errors.summary", n=len(errors) + len(top)))
            return form_page(lang, values, 422, errors=errors, top_errors=top)
        tokens = {d.field: values[KEPT + d.field] for d in files if values.get(KEPT + d.field)}
        return result_page(lang, results, text, figures, files, tokens)

    def use_commune(lang: str, values: dict[str, str], code: str) -> HTMLResponse:
        from ..report.catalogue import catalogue
        from ..sources.france import commune

        c = commune(code.strip())
        if c is None or c.lat is None:
            return find_commune(lang, values)
        values.update({"city": c.name, "location.lat": f"{c.lat:.5f}", "location.lon": f"{c.lon:.5f}"})
        values.update({"location.approximate": "yes", "country": values.get("country") or "FR"})
        values.pop("commune_query", None)
        return form_page(lang, values, notice=catalogue(lang)("web.commune.used", name=c.name))

    def find_commune(lang: str, values: dict[str, str]) -> HTMLResponse:
        from ..report.catalogue import catalogue
        from ..sources.france import find_communes

        query = (values.get("commune_query") or values.get("city") or "").strip()[:100]
        found = [c for c in find_communes(query, limit=8) if c.lat is not None] if query else []
        notice = "" if found else catalogue(lang)("web.commune.none", query=query)
        return form_page(lang, values, communes=found, notice=notice)

    def result_page(lang: str, results, text: str, figures: list, files: tuple = (), tokens=None) -> HTMLResponse:
        from ..claims import check_claims
        from ..report import dossier, narrative

        checks = check_claims(results)
        findings = narrative.findings(results, checks, lang)
        questions = narrative.questions(results, checks, lang)
        day = dossier.date_words(dt.date.today(), lang)
        contribution = narrative.contribution_markdown(results, checks, findings, questions, lang, None, day)
        return pages.render(
            "result.html.j2",
            lang,
            name=results.project.name,
            key_figures=dossier._key_figures(results, lang),
            findings=findings,
            claims=dossier._claims(results, checks, lang),
            questions=questions,
            contribution=contribution,
            # the project as the page keeps it: a data file named by the user's file name, given again
            # with the buttons that compute (the server kept no file)
            project_yaml=S.with_paths(text, {f.field: f.filename for f in files}),
            data_files=[(f.field, f.filename) for f in files],
            kept_tokens=tokens or {},
            kept_minutes=int(kept.ttl // 60),
            figures=figures,
        )

    @app.post("/download/{what}")
    async def download(what: str, request: Request) -> Response:
        form = await read_form(request)
        text = str(form.get("project_yaml") or "")
        stem = "project"
        if what in ("draft-contribution.md", "draft-contribution.txt"):
            body = str(form.get("contribution") or "").replace("\r\n", "\n")
            if what.endswith(".txt"):
                body = _plain_text(body)
            return _attachment(body, what, "text/plain")
        if what == "project.yaml":
            return _attachment(text, "project.yaml", "application/yaml")
        if what not in ("estimate.csv", "estimate.json"):
            return PlainTextResponse("not found", 404)

        def work():
            with S.project_folder(text, "project.yaml", files) as path:
                r = run_estimate(path)
                return S.estimate_csv(r) if what.endswith(".csv") else S.estimate_json(r), r.project.name

        try:
            files = await data_files(form, tokens=True)
            body, name = await estimates.run(work)
        except S.UploadTooLarge as exc:
            return too_large(exc)
        except InputError as exc:
            return problems_json(exc)
        except (S.EstimateBusy, S.EstimateTimeout) as exc:
            return estimate_refused(exc)
        stem = _slug(name)
        return _attachment(body, f"{stem}-{what}", "text/csv" if what.endswith(".csv") else "application/json")

    @app.post("/charts")
    async def more_charts(request: Request) -> Response:
        """The dossier's other charts (sensitivity, cooling modes, alternatives), within the estimates' limits."""
        from ..report import fmt
        from ..report.catalogue import catalogue

        form = await read_form(request)
        lang = _lang(form.get("lang"))
        t = catalogue(lang)
        text = str(form.get("project_yaml") or "")

        def work():
            with S.project_folder(text, "project.yaml", files) as path:
                return S.more_figures(path, lang)

        def said(status: int, message: str, headers: dict | None = None) -> HTMLResponse:
            response = pages.render("job.html.j2", lang, status, job=None, state=None, message=message, problems=[])
            response.headers.update(headers or {})
            return response

        try:
            files = await data_files(form, tokens=True)
            more = await estimates.run(work)
        except S.UploadTooLarge as exc:
            return too_large(exc)
        except InputError as exc:
            try:
                values = F.values_from_data(_yaml_mapping(text, "project.yaml"))
            except InputError:
                values = {}
            top = [t("web.errors.file"), *_problem_lines(exc.problems, lang)]
            return form_page(lang, values, 422, top_errors=top)
        except S.EstimateBusy:
            return said(503, t("web.estimate.busy"), {"Retry-After": str(RETRY_AFTER_S)})
        except S.EstimateTimeout:
            return said(504, t("web.estimate.timeout", seconds=fmt.plain(estimate_timeout, lang)))
        return pages.render(
            "more.html.j2",
            lang,
            name=more["name"],
            figures=more["figures"],
            sensitivity=more["sensitivity"],
            project_yaml=text,
        )

    @app.post("/dossier")
    async def dossier_job(request: Request) -> Response:
        from ..report.catalogue import catalogue

        form = await read_form(request)
        lang = _lang(form.get("lang"))
        text = str(form.get("project_yaml") or "")
        try:
            name = str(_yaml_mapping(text, "project.yaml").get("name") or "")
            files = await data_files(form, tokens=True)
            job = jobs.start(text, name, lang, files)
        except S.UploadTooLarge as exc:
            return too_large(exc)
        except InputError as exc:
            return problems_json(exc)
        except IndexError:
            return pages.render("job.html.j2", lang, 503, job=None, state=None, message=catalogue(lang)("web.job.busy"))
        return RedirectResponse(f"/jobs/{job.id}?lang={lang}", status_code=303)

    @app.get("/jobs/{job_id}")
    def job_page(job_id: str, lang: str = "fr") -> HTMLResponse:
        from ..report.catalogue import catalogue

        lang = _lang(lang)
        t = catalogue(lang)
        job = jobs.get(job_id)
        if job is None:
            return pages.render("job.html.j2", lang, 404, job=None, state=None, message=t("web.job.unknown"))
        now = time.time()
        state = job.state  # read once: the job's thread may change it while the page is made
        if state == "waiting":
            message = t("web.job.waiting", position=max(1, queue.position(job.ticket)))
        elif state == "running":
            message = t("web.job.running", seconds=int(now - job.started))
        elif state == "done":
            message = t("web.job.done", seconds=f"{job.seconds:.0f}")
        elif state == "timeout":
            message = t("web.job.timeout", seconds=f"{timeout:.0f}")
        else:
            message = t("web.job.failed")
        problems = _problem_lines(job.problems, lang)
        return pages.render(
            "job.html.j2", lang, job=job, state=state, message=message, problems=problems, minutes=JOB_TTL_S // 60
        )

    @app.get("/jobs/{job_id}/pdf")
    def job_pdf(job_id: str) -> Response:
        job = jobs.get(job_id)
        if job is None or job.state != "done" or job.pdf is None:
            return PlainTextResponse("not found", 404)
        data = job.pdf.read_bytes()
        jobs.remove(job)  # sent once: the folder goes now
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{_slug(job.name)}-dossier.pdf"'},
        )

    return app


# --------------------------------------------------------------------------- helpers


def _yaml_mapping(text: str, name: str) -> dict:
    """The uploaded text as a mapping (safe loading); InputError when it is not one."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(name, f"not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise InputError(name, "expected a mapping of fields (name: ..., country: ...)")
    return data


def _size_words(size: int, lang: str) -> str:
    """``50_000_000`` -> ``50 Mo`` (French) or ``50 MB``."""
    from ..sources.files import format_size

    text = format_size(size)
    return text.replace("MB", "Mo").replace("kB", "ko").replace("GB", "Go").replace(".", ",") if lang == "fr" else text


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text or "").strip("-")[:60] or "project"


def _file_stem(data: dict) -> str:
    return _slug(str(data.get("name") or ""))


def _attachment(text: str, filename: str, media_type: str) -> Response:
    return Response(
        text.encode("utf-8"),
        media_type=f"{media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_slug(Path(filename).stem)}{Path(filename).suffix}"'},
    )


def _plain_text(markdown: str) -> str:
    """The draft contribution without Markdown marks (headings, bold, list stars)."""
    out = []
    for line in markdown.split("\n"):
        line = re.sub(r"^#{1,6}\s+", "", line)
        line = re.sub(r"\*\*(.+?)\*\*", r"\1", line)
        line = re.sub(r"^(\s*)[*+] ", r"\1- ", line)
        out.append(line)
    return "\n".join(out)
