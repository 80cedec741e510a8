"""The dossier's section « cumulative effects with the other data centres » (docs/cumulative.md).

It reads an :class:`impact.cumulative.Cumulative` (None when no registry was given) and lays out
its sites, its sums and their shares of the territory's electricity; the questions it asks go to
the dossier's list of questions too.
"""

from __future__ import annotations

from . import fmt
from .catalogue import catalogue

#: The most sites the section's table lists (the others are counted in a sentence).
MAX_ROWS = 40
QUANTITY_UNITS = {
    "facility_power_mw": "MW",
    "facility_energy_mwh": "GWh",
    "water_onsite_m3": None,
    "land_site_m2": None,
}


def _range(ind, lang: str, to: str | None = None) -> str:
    if ind is None or not ind.known:
        return fmt.unknown(lang)
    return fmt.value_range(ind.central, ind.low, ind.high, ind.unit, lang, to=to)


def _cells(get, lang: str) -> dict:
    """The four quantities of one row (``get(quantity)`` gives its Indicator), each on one line."""
    return {q: _range(get(q), lang, to) for q, to in QUANTITY_UNITS.items()}


def _split(ind, lang: str, to: str | None = None) -> dict:
    """``{"value": central, "range": "low to high"}`` (the range empty for a point or unknown)."""
    if ind is None or not ind.known:
        return {"value": fmt.unknown(lang), "range": ""}
    target = to or fmt.best_unit(ind.central, ind.unit)
    return {
        "value": fmt.quantity(ind.central, ind.unit, lang, to=target),
        "range": fmt.span(ind.low, ind.high, ind.unit, lang, to=target),
    }


def _split_cells(get, lang: str) -> dict:
    """The four quantities of one row of totals, each as value and range (two lines)."""
    return {q: _split(get(q), lang, to) for q, to in QUANTITY_UNITS.items()}


def _site_row(s, lang: str) -> dict:
    t = catalogue(lang)
    row = {
        "name": s.name,
        "commune": s.commune.name if s.commune is not None else s.city,
        "status": (t.optional(f"site_status.{s.status}") or s.status) if s.status else t("cumulative.status.none"),
        "error": "",
    }
    if s.ok:
        row.update(_cells(lambda q: s.results[q], lang))
    else:
        row["error"] = t("cumulative.not_estimated", reason=not_estimated_reason(s, lang))
    return row


#: Why a registry row is not placed (:class:`impact.site.Site` reasons), each a catalogue key.
PLACE_REASONS = ("outside_france", "no_location", "not_in_a_commune", "city_not_found", "city_ambiguous")


def not_estimated_reason(s, lang: str) -> str:
    """Why a registry site is not estimated, in ``lang``: the engine's message is English
    (impact.errors), so the dossier words its facts instead (the fields at fault, or a bug)."""
    t = catalogue(lang)
    if s.error_fields:
        return t("one_language.not_estimated.fields", fields=t.join(s.error_fields))
    return t("one_language.not_estimated." + ("bug" if s.error_is_bug else "refused"))


def unplaced_reason(cum, row: int, reason: str, lang: str) -> str:
    """Why a registry row is not placed, in ``lang``: a place reason, else the row's read error."""
    t = catalogue(lang)
    if reason in PLACE_REASONS:
        return t(f"one_language.unplaced.{reason}")
    fields = cum.unplaced_fields.get(row, ())
    if fields:
        return t("one_language.not_estimated.fields", fields=t.join(fields))
    return t("one_language.not_estimated.refused")


def _count(sites, commune_only: bool = False) -> int:
    return len([s for s in sites if s.ok and (s.same_commune or not commune_only)])


def _paragraphs(cum, results, lang: str) -> tuple[list[str], list[str], list[str]]:
    """The section's sentences before its tables, after them (the shares), and its notes (smaller print)."""
    t = catalogue(lang)
    paragraphs: list[str] = []
    notes: list[str] = []
    others = cum.sites
    in_commune = [s for s in others if s.same_commune]
    paragraphs.append(
        t(
            "cumulative.registry",
            file=cum.registry,
            n=str(len(others)),
            departement=cum.departement[1],
            k=str(len(in_commune)),
            commune=cum.commune[1],
        )
    )
    for row, name in cum.project_rows:
        paragraphs.append(t("cumulative.project_row", row=str(row), name=name))
    if not others:
        paragraphs.append(t("cumulative.no_other"))
    maybe = [s.name for s in others if s.maybe_project]
    if maybe:
        paragraphs.append(t("cumulative.maybe_project", names=t.join(maybe)))
    findings: list[str] = []
    ind, ref = cum.indicators, cum.reference
    total, share = ind["cumulative_facility_energy_mwh"], ind["cumulative_share_of_departement_electricity"]
    year = str(ref.get("departement_year") or "")
    if others and share.known:
        findings.append(
            t(
                "cumulative.share.departement" if year else "cumulative.share.departement_no_year",
                energy=_range(total, lang, "GWh"),
                share=fmt.value_range(share.central, share.low, share.high, "-", lang, share=True),
                year=year,
                whole=fmt.quantity(ref["departement_mwh"], "MWh", lang, to="GWh"),
            )
        )
        added = ind["cumulative_added_facility_energy_mwh"]
        added_share = ind["cumulative_added_share_of_departement_electricity"]
        findings.append(
            t(
                "cumulative.share.added",
                energy=_range(added, lang, "GWh"),
                share=fmt.value_range(added_share.central, added_share.low, added_share.high, "-", lang, share=True),
            )
        )
        ref_year = ref.get("departement_year")
        late = [s.name for s in others if s.operating and s.year is not None and ref_year and s.year > ref_year]
        if late:
            findings.append(t("cumulative.after_year", names=t.join(late), year=year))
    elif others:
        findings.append(t("cumulative.share.unknown"))
    heat = ind["cumulative_heat_rejected_mwh"]
    if others and heat.known:
        findings.append(t("cumulative.heat", heat=_range(heat, lang, "GWh")))
    city_share = ind["cumulative_share_of_city_electricity"]
    if in_commune and city_share.known:
        key = (
            "cumulative.share.commune_estimate"
            if ref.get("commune_status") == "default"
            else "cumulative.share.commune"
        )
        findings.append(
            t(
                key,
                share=fmt.value_range(city_share.central, city_share.low, city_share.high, "-", lang, share=True),
                whole=fmt.quantity(ref["commune_mwh"], "MWh", lang, to="GWh"),
            )
        )
    if cum.elsewhere:
        notes.append(t("cumulative.elsewhere", n=str(cum.elsewhere)))
    if cum.unplaced:
        items = [
            t("cumulative.unplaced.item", name=name, row=str(row), reason=unplaced_reason(cum, row, reason, lang))
            for row, name, _, reason in cum.unplaced
        ]
        notes.append(t("cumulative.unplaced", items=t.join(items)))
    for q in ("water_onsite_m3", "land_site_m2"):
        i = cum.totals[("departement", "all", q)]
        if i.missing and others:
            notes.append(t("cumulative.partial", quantity=t(f"cumulative.col.{q}"), names=t.join(i.missing)))
    if others:
        notes.append(t("cumulative.method"))
    return paragraphs, findings, notes


def _totals(cum, lang: str) -> list[dict]:
    t = catalogue(lang)
    ok = [s for s in cum.sites if s.ok]
    counts = {
        "operating": len([s for s in ok if s.operating]),
        "added_others": len([s for s in ok if not s.operating]),
    }
    rows = []
    for group in ("project", "operating", "added_others", "all"):
        if group in counts and not counts[group]:
            continue
        label = t(
            f"cumulative.total.{group}",
            n=str(counts.get(group, len(ok) + 1)),
        )
        cells = _split_cells(lambda q, g=group: cum.totals[("departement", g, q)], lang)
        rows.append({"label": label, "strong": group == "all", **cells})
    k = _count(cum.sites, commune_only=True)
    if k:
        rows.append(
            {
                "label": t("cumulative.total.commune", n=str(k + 1)),
                "strong": False,
                **_split_cells(lambda q: cum.totals[("commune", "all", q)], lang),
            }
        )
    return rows


def _headline(cum, lang: str) -> list[str]:
    """The département's total in one sentence that stands alone (the draft contribution's findings)."""
    t = catalogue(lang)
    ind = cum.indicators
    share, added = (
        ind["cumulative_share_of_departement_electricity"],
        ind["cumulative_added_share_of_departement_electricity"],
    )
    if not cum.sites or not share.known or not added.known or not cum.reference.get("departement_year"):
        return []
    return [
        t(
            "cumulative.headline",
            n=str(len(cum.sites)),
            energy=_range(ind["cumulative_facility_energy_mwh"], lang, "GWh"),
            share=fmt.value_range(share.central, share.low, share.high, "-", lang, share=True),
            year=str(cum.reference.get("departement_year") or ""),
            added=fmt.value_range(added.central, added.low, added.high, "-", lang, share=True),
        )
    ]


def section(cum, results, lang: str) -> dict:
    """Paragraphs, tables, notes and questions of the section, in ``lang``; ``cum`` is None when
    no registry was given."""
    t = catalogue(lang)
    out: dict = {
        "present": cum is not None,
        "paragraphs": [],
        "sites": [],
        "totals": [],
        "findings": [],
        "notes": [],
        "more": "",
        "headline": [],  # the département's total, for the draft contribution's findings (_headline)
    }
    out["intro"] = t("cumulative.intro" if results.project.country == "FR" else "cumulative.intro.other")
    out["questions"] = questions(cum, lang)
    if cum is None:
        out["paragraphs"] = [t("cumulative.absent")]
        return out
    if not cum.placed:
        out["paragraphs"] = [t("cumulative.not_placed", file=cum.registry)]
        return out
    out["paragraphs"], out["findings"], out["notes"] = _paragraphs(cum, results, lang)
    out["headline"] = _headline(cum, lang)
    if cum.sites:
        project_row = {
            "name": results.project.name,
            "commune": cum.commune[1],
            "status": t("cumulative.status.project"),
            "error": "",
            **_cells(lambda q: results[q], lang),
        }
        rows = [_site_row(s, lang) for s in cum.sites]
        out["sites"] = [project_row] + rows[:MAX_ROWS]
        if len(rows) > MAX_ROWS:
            out["more"] = t("cumulative.more", n=str(len(rows) - MAX_ROWS))
        out["totals"] = _totals(cum, lang)
    return out


def questions(cum, lang: str) -> list[str]:
    """The questions when the registry is missing, or when it lists other planned or authorised
    sites, or sites it cannot estimate, in the project's département."""
    t = catalogue(lang)
    if cum is None:
        return [t("cumulative.question.absent")]
    if not cum.placed:
        return []
    out = []
    planned = [s.name for s in cum.others_not_operating]
    if planned:
        out.append(t("cumulative.question.planned", n=str(len(planned)), names=t.join(planned)))
    failed = [s.name for s in cum.sites if not s.ok]
    if failed:
        out.append(t("cumulative.question.not_estimated", names=t.join(failed)))
    return out


def attachments(cum, stem: str) -> list[tuple[str, bytes, str]]:
    """The CSV of the sites and totals attached to the PDF (none without a registry); text cells
    are spreadsheet-safe."""
    if cum is None or not cum.placed:
        return []
    from ..cumulative import to_frame
    from ..textsafe import csv_safe_frame

    text = csv_safe_frame(to_frame(cum)).to_csv(index=False, lineterminator="\n")
    return [(f"{stem}-cumulative.csv", text.encode("utf-8"), "Cumulative effects: the registry's sites and totals")]
