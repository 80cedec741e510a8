"""The command line: a thin layer over the API.

Bad input exits with code 2 and one message per problem, naming the file and the
field; no traceback, no output file. Heavy libraries are imported only by the
commands that need them, so ``impact --help`` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import InputError

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="impact",
        description="Estimate the territorial footprint of a data-center project "
        "(electricity, grid power, water, greenhouse gases, heat, land), with sources and ranges.",
        epilog="Example: impact estimate data/projects/mrs5.yaml",
    )
    parser.add_argument("--version", action="version", version=f"impact {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="validate a project file without computing")
    check.add_argument("file", type=Path, help="project file (YAML)")

    est = sub.add_parser("estimate", help="estimate every indicator with its range and sources")
    est.add_argument("file", type=Path, help="project file (YAML)")
    est.add_argument(
        "--format", choices=("table", "json", "csv", "markdown"), default="table", help="output format (default: table)"
    )
    est.add_argument("-o", "--output", type=Path, help="write to this file instead of the terminal")
    est.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    est.add_argument("--draws", type=int, default=None, help="Monte Carlo draws (default 2000)")
    est.add_argument("--seed", type=int, default=None, help="random seed (default fixed, for reproducible ranges)")
    dos = sub.add_parser("dossier", help="write the inquiry dossier (PDF/A-3, with a draft contribution in Markdown)")
    dos.add_argument("file", type=Path, help="project file (YAML)")
    dos.add_argument("-o", "--output", type=Path, help="PDF to write (default: <project>-dossier.pdf here)")
    dos.add_argument("--html", type=Path, help="also write the dossier as one HTML file")
    dos.add_argument("--lang", choices=("fr", "en"), default="fr", help="language (default: fr)")
    dos.add_argument("--author", help="name printed on the cover and under the draft contribution")
    dos.add_argument("--date", help="date of the dossier, YYYY-MM-DD (default: $SOURCE_DATE_EPOCH, else today)")
    dos.add_argument("--force", action="store_true", help="overwrite existing output files")
    dos.add_argument(
        "--registry",
        type=Path,
        help="registry of data centers (CSV or GeoJSON): its other located "
        "sites near the project are drawn on the maps, and those of the project's "
        "département are added up with it (section on cumulative effects)",
    )
    bat = sub.add_parser(
        "batch", help="one report per city from a registry of data centers, plus summary.csv and sites.gpkg"
    )
    bat.add_argument("registry", type=Path, help="registry of data centers (CSV or GeoJSON)")
    bat.add_argument("-o", "--output", type=Path, required=True, help="folder to write the reports into")
    bat.add_argument(
        "--by",
        choices=("commune", "departement", "epci", "region", "city"),
        default="commune",
        help="one report per commune (default; 'city' is the same), département, EPCI or région, "
        "each site placed by its coordinates",
    )
    bat.add_argument("--jobs", type=int, default=1, help="parallel processes (default 1)")
    bat.add_argument("--lang", choices=("fr", "en"), default="fr", help="language of the reports (default: fr)")
    bat.add_argument("--date", help="date printed on the reports, YYYY-MM-DD (default: $SOURCE_DATE_EPOCH, else today)")
    bat.add_argument("--force", action="store_true", help="rebuild everything and overwrite existing files")
    bat.add_argument("--draws", type=int, default=None, help="Monte Carlo draws per site (default 2000)")
    sch = sub.add_parser("schema", help="print the project file's JSON Schema (every field with its unit and bounds)")
    sch.add_argument("-o", "--output", type=Path, help="write to this file instead of the terminal")
    sch.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    srv = sub.add_parser("serve", help="start the web page for residents (form, result, PDF dossier, API)")
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    srv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    srv.add_argument("--jobs", type=int, default=2, help="dossiers built at the same time, the others wait (default 2)")
    srv.add_argument("--timeout", type=float, default=300.0, help="time limit of one dossier, seconds (default 300)")
    clim = sub.add_parser("climate", help="hourly climates: get a typical year for a point (impact climate fetch)")
    clim_sub = clim.add_subparsers(dest="climate_command", metavar="ACTION")
    fetch = clim_sub.add_parser(
        "fetch",
        help="download the PVGIS typical year of a point (needs the Internet) into a CSV that climate.pvgis reads",
    )
    fetch.add_argument("--lat", type=float, required=True, help="latitude of the site, WGS 84 (degree)")
    fetch.add_argument("--lon", type=float, required=True, help="longitude of the site, WGS 84 (degree)")
    fetch.add_argument("-o", "--output", type=Path, help="CSV to write (default: pvgis_tmy_LAT_LON.csv here)")
    fetch.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    return parser


def _schema(args) -> int:
    from .schema import schema_json

    text = schema_json()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from .fileio import check_targets

    check_targets([("-o", args.output)], force=args.force)
    write_atomic(args.output, text.encode("utf-8"), args.force)
    _say(f"wrote {args.output}")
    return 0


def _climate(args) -> int:
    if args.climate_command != "fetch":
        raise InputError("impact climate", "expected an action: impact climate fetch --lat LAT --lon LON")
    from .sources.pvgis import fetch_pvgis_tmy

    for name, value, bound in (("--lat", args.lat, 90), ("--lon", args.lon, 180)):
        if not -bound <= value <= bound:
            raise InputError(name, f"must be between {-bound} and {bound} degrees, got {value:g}")
    out = args.output or Path(f"pvgis_tmy_{args.lat:.3f}_{args.lon:.3f}.csv")
    from .fileio import check_targets

    check_targets([out], force=args.force)
    write_atomic(out, fetch_pvgis_tmy(args.lat, args.lon), args.force)
    _say(f"wrote {out} (PVGIS typical year at {args.lat:g}, {args.lon:g}; PVGIS © European Union)")
    _say(f"add to the project file (path relative to it):\nclimate: {{pvgis: {out.name}}}", sys.stdout)
    return 0


def _serve(args) -> int:
    if not 0 < args.port < 65536:
        raise InputError("--port", f"must be between 1 and 65535, got {args.port}")
    if args.jobs < 1 or args.timeout <= 0:
        raise InputError("--jobs/--timeout", "--jobs must be at least 1 and --timeout above 0")
    from .web import serve

    serve(args.host, args.port, running=args.jobs, timeout=args.timeout)
    return 0


def _batch(args) -> int:
    from .batch import run_batch

    if args.draws is not None and args.draws < 100:
        raise InputError("--draws", f"must be at least 100, got {args.draws}")
    out = run_batch(
        args.registry,
        args.output,
        by=args.by,
        jobs=args.jobs,
        force=args.force,
        lang=args.lang,
        date=args.date,
        draws=args.draws,
    )
    built = [p for p in out.written if p.suffix == ".pdf"]
    _say(
        f"{len(out.sites)} site(s), {len(out.failed)} failed; {len(built)} report(s) written, "
        f"{len(out.skipped)} up to date, {len(out.reports_failed)} failed; "
        f"{args.output / 'summary.csv'}, {args.output / 'sites.gpkg'}"
    )
    if out.log is not None:
        _say(f"failures: in summary.csv (result column) and {out.log}")
    # Some sites or reports failed (the others are written): 1; bad input of the whole batch: 2.
    return 1 if out.failed or out.reports_failed else 0


def _dossier(args) -> int:
    from .report.dossier import build_dossier

    out = build_dossier(
        args.file,
        args.output,
        html_output=args.html,
        lang=args.lang,
        author=args.author,
        force=args.force,
        date=args.date,
        registry=args.registry,
    )
    written = [out.pdf, out.markdown] + ([out.html] if out.html else [])
    _say("wrote " + ", ".join(str(p) for p in written))
    if out.blocked:
        _say(f"note: {len(out.blocked)} resource(s) outside the dossier's own files were not loaded")
    return 0


def _say(message: str, stream=None) -> None:
    """Print a message for a person (stderr by default): control characters and ANSI escapes
    of user text (a name, a path) never reach the terminal."""
    from .textsafe import terminal_text

    print(terminal_text(message), file=stream or sys.stderr)


def write_atomic(path: Path, data: bytes, force: bool) -> None:
    """Write ``data`` to ``path`` through a temporary file, refusing to overwrite without ``force``
    (checked again when the file is published: another run may have written it meanwhile)."""
    path = Path(path)
    if path.exists() and not force:
        raise InputError(str(path), "already exists; use --force to overwrite it")
    if not path.parent.exists():
        raise InputError(str(path), f"folder {path.parent} does not exist")
    from .fileio import write_atomic as write

    write(path, data, overwrite=force)


def _estimate(args) -> int:
    from .engine import DEFAULT_DRAWS, DEFAULT_SEED, estimate
    from .project import load_project

    if args.output is not None:  # before any computation
        from .fileio import check_targets

        check_targets([("-o", args.output)], force=args.force, inputs=[args.file])
    draws = DEFAULT_DRAWS if args.draws is None else args.draws
    if draws < 100:
        raise InputError("--draws", f"must be at least 100, got {draws}")
    project = load_project(args.file)
    results = estimate(project, draws=draws, seed=DEFAULT_SEED if args.seed is None else args.seed)
    if args.format == "json":
        import re

        text = results.to_json()  # strict JSON: no NaN nor Infinity
        # C1 controls and bidirectional overrides as \u escapes: the same JSON, safe in a terminal.
        text = re.sub("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m[0]):04x}", text)
    elif args.format == "markdown":
        from .report.markdown import format_markdown

        text = format_markdown(results)
    elif args.format == "csv":
        from .report.table import format_csv

        text = format_csv(results)
    else:
        from .report.table import format_table

        text = format_table(results)
    if args.output is None:
        from .textsafe import terminal_text

        # JSON has no control character left (escaped above); the other formats are read as text.
        sys.stdout.write(text if args.format == "json" else terminal_text(text))
    else:
        write_atomic(args.output, text.encode("utf-8"), args.force)
        _say(f"wrote {args.output}")
    return 0


def _check(args) -> int:
    from .validation import validate

    project = validate(args.file).project  # what estimate and dossier validate, nothing computed
    _say(f"{args.file}: ok ({project.name}, {project.country})", sys.stdout)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "estimate":
            return _estimate(args)
        if args.command == "dossier":
            return _dossier(args)
        if args.command == "batch":
            return _batch(args)
        if args.command == "climate":
            return _climate(args)
        if args.command == "schema":
            return _schema(args)
        if args.command == "serve":
            return _serve(args)
    except InputError as exc:
        _say(f"error: {exc.message}".replace("\n", "\nerror: "))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the disk or the system, not impact: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"error: {where}{exc.strerror or exc}")
        return EXIT_BAD_INPUT
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
