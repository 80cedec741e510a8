"""The inquiry dossier: estimate, figures, HTML (Jinja2) and PDF/A-3 (WeasyPrint).

:func:`build_dossier` does the whole job and writes the outputs atomically: every
file is written under a temporary name and renamed only when all succeeded, an
existing file is never replaced without ``force``, and a failed run leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import InputError
from ..indicators import INDICATORS
from ..paths import templates_dir
from . import fmt, narrative

#: Indicators of the synthesis, with the equivalence shown beside each.
KEY_FIGURES = (
    ("facility_energy_mwh", "households_electricity_equiv"),
    ("peak_demand_mw", "share_of_city_peak_demand"),
    ("water_withdrawal_m3", "inhabitants_water_equiv"),
    ("co2e_location_t", None),
    ("thermal_discharge_mw", None),
    ("heat_reuse_potential_homes", None),
)

#: Indicators compared across alternatives.
ALTERNATIVE_ROWS = ("facility_energy_mwh", "pue", "peak_demand_mw", "water_withdrawal_m3", "thermal_discharge_mw",
                    "co2e_location_t", "heat_rejected_mwh")


@dataclass
class Timings:
    """Seconds spent in each stage (for ``make bench``)."""

    estimate: float = 0.0
    figures: float = 0.0
    html: float = 0.0
    pdf: float = 0.0
    steps: dict = field(default_factory=dict)


def dossier_date(date: str | None = None) -> dt.date:
    """The dossier's date: ``date`` (YYYY-MM-DD), else $SOURCE_DATE_EPOCH, else today."""
    if date:
        try:
            return dt.date.fromisoformat(date)
        except ValueError:
            raise InputError("--date", f"must be a date written YYYY-MM-DD, got {date!r}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


# ----------------------------------------------------------------------------- context
def _status(status: str, lang: str) -> str:
    return {"fr": {"given": "donné", "derived": "calculé", "default": "par défaut", "unknown": "inconnu"},
            "en": {"given": "given", "derived": "derived", "default": "default", "unknown": "unknown"}}[lang][status]


def _input_value(rec, lang: str) -> str:
    from ..ranges import Range

    if rec.value is None:
        return fmt.UNKNOWN_TEXT[lang]
    if isinstance(rec.value, Range):
        unit = "" if rec.unit in ("-", "") else fmt.UNITS[lang].get(rec.unit, rec.unit)
        c = fmt.plain(rec.value.central, lang) + (fmt.NBSP + unit if unit else "")
        if rec.value.is_point:
            return c
        lo, hi = fmt.plain(rec.value.low, lang), fmt.plain(rec.value.high, lang)
        return f"{c} ({lo} à {hi})" if lang == "fr" else f"{c} ({lo} to {hi})"
    return str(rec.value)


def _reference_rows(table: str, **match) -> list[dict]:
    from ..sources.reference import read_reference_table

    return [r for r in read_reference_table(table) if all(r.get(k) == v for k, v in match.items())]


def _bibliography(results) -> list[str]:
    """The published sources behind the inputs (tagged primary or secondary), once each."""
    seen: list[str] = []
    for rec in results.inputs.values():
        if rec.status == "unknown" or not rec.source:
            continue
        for part in rec.source.split("; "):
            if ("[primary]" in part or "[secondary]" in part) and part not in seen:
                seen.append(part)
    return sorted(seen, key=str.lower)


def build_context(results, alternatives, checks, figures, *, lang: str, author: str | None, date: dt.date,
                  fingerprint: str) -> dict:
    """Everything the template shows, as plain values (the template only lays it out)."""
    r, p = results, results.project
    ind = r.indicators

    def val(name):
        return narrative.value_text(r, name, lang)

    key = []
    for name, equiv in KEY_FIGURES:
        i = ind[name]
        if name == "thermal_discharge_mw" and i.known and i.central == 0:
            continue
        entry = {"label": narrative.label(name, lang), "value": val(name), "known": i.known, "equiv": ""}
        if equiv and ind[equiv].known:
            e = ind[equiv]
            if e.unit == "-":
                entry["equiv"] = (f"{fmt.percent(e.central, lang)} — " + narrative.label(equiv, lang).lower())
            else:
                entry["equiv"] = f"≈ {fmt.quantity(e.central, e.unit, lang)}"
        key.append(entry)

    inputs = [{"name": rec.name, "value": _input_value(rec, lang), "status": _status(rec.status, lang),
               "status_code": rec.status, "source": rec.source, "note": rec.note,
               "declared_unknown": rec.declared_unknown}
              for rec in r.inputs.values()]

    city = (p.city or "").strip()
    local_needs = [{"need": row["need_fr"] if lang == "fr" else row["need"], "value": fmt.quantity(float(row["value"]), row["unit"], lang),
                    "source": f"{row['source']}, {row['year']} [{row['quality']}]", "note": row["note"]}
                   for row in _reference_rows("local_grid_needs", city=city, country=p.country)] if city else []
    national = {row["quantity"]: row for row in _reference_rows("national_context", country=p.country)}
    rules = [{**row, "rule": row["rule_fr"] if lang == "fr" else row["rule"]}
             for row in _reference_rows("regulations", country=p.country)]

    alt_table = None
    if alternatives:
        cols = [(p.name if lang == "en" else "Projet déclaré", r)] + [(n, a) for n, a in alternatives]
        alt_table = {
            "columns": [c for c, _ in cols],
            "descriptions": [""] + [a.project.alternatives_description if hasattr(a.project, "alternatives_description")
                                    else "" for _, a in alternatives],
            "rows": [{"label": narrative.label(n, lang),
                      "values": [_central_text(a, n, lang) for _, a in cols]} for n in ALTERNATIVE_ROWS],
        }
        alt_table["descriptions"] = [""] + [alt.description or "" for alt in p.alternatives]

    claims = [{"indicator": narrative.label(c.indicator, lang), "claimed": narrative.claim_value(c, lang),
               "source": c.source, "note": c.note or "", "verdict": narrative.verdict_text(c.verdict, lang),
               "verdict_code": c.verdict, "reason": narrative.claim_reason(c, r, lang),
               "estimate": narrative.value_text(r, c.compared_with, lang)}
              for c in checks]
    findings = narrative.findings(r, checks, lang)
    questions = narrative.questions(r, checks, lang)
    date_text = _date_text(date, lang)
    contribution = narrative.contribution_markdown(r, checks, findings, questions, lang, author, date_text)

    methods = [{"name": n, "label": info.label(lang), "unit": fmt.UNITS[lang].get(info.unit, info.unit),
                "definition": info.describe(lang), "method": ind[n].method, "note": _annex_note(ind[n], lang),
                "status": ind[n].status}
               for n, info in INDICATORS.items()]

    td = ind["thermal_discharge_mw"]
    water_return = None
    if r.hourly is not None and "water_return_c" in r.hourly:
        water_return = fmt.quantity(float(r.hourly["water_return_c"].max()), "°C", lang)
    delta_t = None
    tin, tout = r.inputs.get("cooling.water_in_c"), r.inputs.get("cooling.water_out_c")
    from ..ranges import Range

    if tin is not None and tout is not None and isinstance(tin.value, Range) and isinstance(tout.value, Range):
        delta_t = fmt.quantity(tout.value.central - tin.value.central, "°C", lang)
    lifetime = r.inputs.get("lifetime_years")
    lifetime_total = None
    if lifetime is not None and isinstance(lifetime.value, Range) and ind["co2e_total_t"].known:
        lifetime_total = fmt.quantity(ind["co2e_total_t"].central * lifetime.value.central, "t CO2e", lang)

    return {
        "lang": lang,
        "t": TEXTS[lang],
        "project": p,
        "title": p.name,
        "author": author,
        "date": date_text,
        "date_iso": date.isoformat(),
        "version": __version__,
        "fingerprint": fingerprint,
        "meta": r.meta,
        "key_figures": key,
        "findings": findings,
        "inputs": inputs,
        "val": {n: val(n) for n in INDICATORS},
        "known": {n: ind[n].known for n in INDICATORS},
        "notes": {n: _annex_note(ind[n], lang) for n in INDICATORS},
        "thermal_note": _thermal_note(r, lang),
        "status": {n: ind[n].status for n in INDICATORS},
        "local_needs": local_needs,
        "national": {k: fmt.quantity(float(v["value"]), v["unit"].replace("/yr", ""), lang) for k, v in national.items()},
        "national_sources": sorted({f"{v['source']} [{v['quality']}]" for v in national.values()}),
        "rules": rules,
        "cooling_model": r.hourly is not None,
        "cooling_model_note": r.meta.get("cooling_model", ""),
        "cooling_type": p.cooling.type if p.cooling else None,
        "water_return": water_return,
        "delta_t": delta_t,
        "thermal_discharge_known": td.known and td.central > 0,
        "lifetime_total": lifetime_total,
        "lifetime": _input_value(lifetime, lang) if lifetime is not None else fmt.UNKNOWN_TEXT[lang],
        "nearest_substations": [
            {"name": s["name"], "voltage": s.get("voltage") or "", "distance": fmt.quantity(s["distance_km"], "km", lang)}
            for s in (r.nearest_substations or [])],
        "alternatives": alt_table,
        "claims": claims,
        "saving_claim": next((c for c, raw in zip(claims, checks) if raw.indicator == "cooling_saving_share"), None),
        "label": {n: info.label(lang) for n, info in INDICATORS.items()},
        "questions": questions,
        "contribution": contribution,
        "contribution_html": markdown_to_html(contribution),
        "methods": methods,
        "bibliography": _bibliography(r),
        "figures": figures,
    }


def _central_text(results, name: str, lang: str) -> str:
    ind = results.indicators[name]
    if not ind.known:
        return fmt.UNKNOWN_TEXT[lang]
    if name in ("pue", "pue_modelled"):
        return fmt.number(ind.central, lang, decimals=2)
    return fmt.quantity(ind.central, ind.unit, lang)


def _annex_note(ind, lang: str) -> str:
    """Why an indicator is unknown or partial, in the dossier's language."""
    if ind.status == "estimated":
        return ""
    names = ", ".join(INDICATORS[m].label(lang).lower() if m in INDICATORS else m for m in ind.missing)
    if lang == "fr":
        if ind.status == "unknown":
            return f"inconnu : données manquantes ({names})" if names else "inconnu : " + ind.note
        return f"partiel : ne compte pas les parties inconnues ({names})"
    if ind.status == "unknown":
        return f"unknown: missing inputs ({names})" if names else ind.note
    return f"partial: leaves out the unknown parts ({names})"


def _thermal_note(results, lang: str) -> str:
    """When the declared flow could carry more heat than the site sends to the water."""
    from ..model.heat import thermal_power_mw
    from ..ranges import Range

    rec = results.inputs
    keys = ("cooling.water_flow_m3_per_h", "cooling.water_in_c", "cooling.water_out_c", "water_density_kg_per_m3",
            "water_specific_heat_j_per_kg_k")
    if not all(k in rec and isinstance(rec[k].value, Range) for k in keys):
        return ""
    flow, tin, tout, rho, cp = (rec[k].value.central for k in keys)
    capacity = thermal_power_mw(flow, tout - tin, rho, cp)
    td = results["thermal_discharge_mw"]
    if not td.known or td.central >= 0.95 * capacity:
        return ""
    ret = None
    if results.hourly is not None and "water_return_c" in results.hourly:
        ret = float(results.hourly["water_return_c"].max())
    if lang == "fr":
        text = (f"Le débit et les températures déclarés pourraient évacuer {fmt.quantity(capacity, 'MW', lang)} ; "
                f"le site n'en envoie au plus que {fmt.quantity(td.central, 'MW', lang)} dans l'eau")
        if ret is not None:
            text += (f" : l'eau repartirait donc à {fmt.quantity(ret, '°C', lang)} au plus, et non aux "
                     f"{fmt.quantity(tout, '°C', lang)} déclarés (ou le débit réel est plus faible)")
        return text + "."
    text = (f"The declared flow and temperatures could carry {fmt.quantity(capacity, 'MW', lang)}; the site sends "
            f"at most {fmt.quantity(td.central, 'MW', lang)} to the water")
    if ret is not None:
        text += (f", so the water returns at {fmt.quantity(ret, '°C', lang)} at most, not the declared "
                 f"{fmt.quantity(tout, '°C', lang)} (or the actual flow is lower)")
    return text + "."


def _date_text(date: dt.date, lang: str) -> str:
    months = {"fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                     "octobre", "novembre", "décembre"],
              "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]}[lang]
    return f"{date.day} {months[date.month - 1]} {date.year}" if lang == "fr" else \
        f"{date.day} {months[date.month - 1]} {date.year}"


def markdown_to_html(text: str) -> str:
    """The draft contribution's small Markdown (headings, lists, emphasis) as escaped HTML."""
    from markupsafe import Markup, escape

    out, in_ul, in_ol = [], False, False

    def close():
        nonlocal in_ul, in_ol
        if in_ul:
            out.append("</ul>")
        if in_ol:
            out.append("</ol>")
        in_ul = in_ol = False

    for line in text.splitlines():
        s = line.strip()
        if not s:
            close()
            continue
        if s.startswith("#"):
            close()
            level = min(len(s) - len(s.lstrip("#")) + 2, 4)
            out.append(f"<h{level}>{escape(s.lstrip('#').strip())}</h{level}>")
        elif s.startswith("- "):
            if not in_ul:
                close()
                out.append("<ul>")
                in_ul = True
            out.append(f"<li>{escape(s[2:])}</li>")
        elif s[:1].isdigit() and ". " in s[:4]:
            if not in_ol:
                close()
                out.append("<ol>")
                in_ol = True
            out.append(f"<li>{escape(s.split('. ', 1)[1])}</li>")
        elif s.startswith("*") and s.endswith("*"):
            close()
            out.append(f"<p><em>{escape(s.strip('*'))}</em></p>")
        else:
            close()
            out.append(f"<p>{escape(s)}</p>")
    close()
    return Markup("\n".join(out))


# ----------------------------------------------------------------------------- texts
TEXTS = {
    "fr": {
        "kind": "Contribution à l'enquête publique",
        "subtitle": "Estimation de l'empreinte du projet sur son territoire",
        "operator": "Exploitant", "site": "Site", "date": "Date", "author": "Auteur·rice",
        "tool": "Outil", "fingerprint": "Empreinte des données d'entrée",
        "synthesis": "Synthèse", "key_figures": "Chiffres clés", "findings": "Constats",
        "ranges_note": "Valeur centrale, puis fourchette basse à haute (5e et 95e centiles). « Inconnu » : "
                       "donnée non publiée, à demander au porteur de projet.",
        "site_section": "Le projet et son site", "inputs": "Données d'entrée",
        "input": "Donnée", "value": "Valeur", "status": "Statut", "source": "Source",
        "electricity": "Électricité et réseau", "cooling": "Refroidissement", "water": "Eau",
        "climate": "Climat", "heat": "Chaleur", "land": "Sol", "alternatives": "Alternatives",
        "claims": "Vérification des affirmations", "questions": "Questions à poser",
        "contribution": "Projet de contribution", "annexes": "Annexes",
        "methods": "Méthodes et équations", "all_inputs": "Toutes les données d'entrée",
        "bibliography": "Sources", "reproducibility": "Reproductibilité",
        "indicator": "Indicateur", "claimed": "Annoncé", "estimate": "Estimation", "verdict": "Verdict",
        "unit": "Unité", "definition": "Définition", "method": "Méthode appliquée",
        "unknown": "inconnu",
    },
    "en": {
        "kind": "Contribution to the public inquiry",
        "subtitle": "Estimate of the project's footprint on its territory",
        "operator": "Operator", "site": "Site", "date": "Date", "author": "Author",
        "tool": "Tool", "fingerprint": "Input fingerprint",
        "synthesis": "Summary", "key_figures": "Key figures", "findings": "Findings",
        "ranges_note": "Central value, then low to high (5th and 95th percentiles). 'Unknown': not published, "
                       "to be asked of the promoter.",
        "site_section": "The project and its site", "inputs": "Inputs",
        "input": "Input", "value": "Value", "status": "Status", "source": "Source",
        "electricity": "Electricity and grid", "cooling": "Cooling", "water": "Water",
        "climate": "Climate", "heat": "Heat", "land": "Land", "alternatives": "Alternatives",
        "claims": "Checking the claims", "questions": "Questions to ask",
        "contribution": "Draft contribution", "annexes": "Annexes",
        "methods": "Methods and equations", "all_inputs": "All inputs",
        "bibliography": "Sources", "reproducibility": "Reproducibility",
        "indicator": "Indicator", "claimed": "Claimed", "estimate": "Estimate", "verdict": "Verdict",
        "unit": "Unit", "definition": "Definition", "method": "Method applied",
        "unknown": "unknown",
    },
}


# ----------------------------------------------------------------------------- rendering
def render_html(context: dict) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("dossier.html.j2").render(**context)


@dataclass
class DossierOutput:
    pdf: Path
    markdown: Path
    html: Path | None
    timings: Timings
    blocked: list[str]


def _outputs(pdf: Path, html: Path | None) -> list[Path]:
    return [pdf, pdf.with_suffix(".md")] + ([html] if html else [])


def build_dossier(project_file: Path, output: Path | None = None, *, html_output: Path | None = None,
                  lang: str = "fr", author: str | None = None, force: bool = False, date: str | None = None,
                  draws: int | None = None) -> DossierOutput:
    """Estimate ``project_file`` and write its dossier (PDF, Markdown draft, optional HTML).

    Raises
    ------
    InputError
        for a bad project or data file, or an output that exists without ``force``.
    """
    from ..engine import DEFAULT_DRAWS, estimate
    from ..project import load_project

    project_file = Path(project_file)
    if lang not in TEXTS:
        raise InputError("--lang", f"must be fr or en, got {lang!r}")
    output = Path(output) if output is not None else Path(f"{project_file.stem}-dossier.pdf")
    if output.suffix.lower() != ".pdf":
        raise InputError(str(output), "the dossier is a PDF: give a file name ending in .pdf")
    targets = _outputs(output, Path(html_output) if html_output else None)
    for t in targets:
        if t.exists() and not force:
            raise InputError(str(t), "already exists; use --force to overwrite it")
        if not t.parent.exists():
            raise InputError(str(t), f"folder {t.parent} does not exist")
    day = dossier_date(date)

    timings = Timings()
    t0 = time.perf_counter()
    project = load_project(project_file)
    results = estimate(project, draws=draws or DEFAULT_DRAWS)
    from ..claims import check_claims
    from ..scenarios import alternatives as alternatives_of

    alts = [(name, estimate(variant, draws=draws or DEFAULT_DRAWS)) for name, variant in alternatives_of(project)]
    checks = check_claims(results)
    fingerprint = results.meta["input_fingerprint"]
    timings.estimate = time.perf_counter() - t0

    with tempfile.TemporaryDirectory(prefix="impact-dossier-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        from .figures import make_figures

        figures = make_figures(results, alts, tmp, lang, timings.steps)
        timings.figures = time.perf_counter() - t0

        t0 = time.perf_counter()
        context = build_context(results, alts, checks, figures, lang=lang, author=author, date=day,
                                fingerprint=fingerprint)
        html = render_html(context)
        timings.html = time.perf_counter() - t0

        t0 = time.perf_counter()
        from ..project import project_text

        attachments = [
            (project_file.name, (project_text(project) or "").encode("utf-8"), "Project file (input)"),
            (f"{project_file.stem}-estimate.csv", results.to_frame().to_csv(index=False, lineterminator="\n")
             .encode("utf-8"), "Results: one row per indicator"),
        ]
        staged = {}
        try:
            pdf_tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
            staged[output] = pdf_tmp
            from .pdf import write_pdf

            blocked = write_pdf(html, pdf_tmp, base_dir=templates_dir(), allowed_dirs=[templates_dir(), tmp],
                                date=day, attachments=attachments, lang=lang)
            md_tmp = output.with_name(f".{output.stem}.md.{os.getpid()}.tmp")
            staged[output.with_suffix(".md")] = md_tmp
            md_tmp.write_text(context["contribution"], encoding="utf-8")
            if html_output:
                html_tmp = Path(html_output).with_name(f".{Path(html_output).name}.{os.getpid()}.tmp")
                staged[Path(html_output)] = html_tmp
                html_tmp.write_text(html, encoding="utf-8")  # figures are data: URLs: it opens anywhere
            for final, staged_path in staged.items():
                os.replace(staged_path, final)
        finally:
            for staged_path in staged.values():
                if staged_path.exists():
                    staged_path.unlink()
        timings.pdf = time.perf_counter() - t0
    return DossierOutput(output, output.with_suffix(".md"), Path(html_output) if html_output else None,
                         timings, blocked)
