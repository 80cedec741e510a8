"""The plain-text table that ``impact estimate`` prints."""

from __future__ import annotations

import textwrap

from . import fmt


def format_number(x: float | None) -> str:
    """Three significant figures, thousands separated by commas; "unknown" for None."""
    return fmt.number(x, "en")


def format_table(results, width: int = 100) -> str:
    """A readable summary: one line per indicator, then numbered sources and the inputs."""
    lines = []
    p = results.project
    where = ", ".join(x for x in (p.city, p.country) if x)
    head = f"{p.name}" + (f" ({p.operator})" if p.operator else "") + (f", {where}" if where else "")
    lines.append(head)
    lines.append(
        f"Estimate for {results.meta['year']}, {results.meta['draws']} Monte Carlo draws, "
        f"seed {results.meta['seed']}; ranges are 5th-95th percentiles."
    )
    lines.append("")
    refs: list[str] = []
    rows = [("indicator", "central", "low - high", "unit", "sources")]
    for ind in results.indicators.values():
        nums = []
        for s in ind.sources:
            s = s.split(": ", 1)[-1]  # "input: citation" -> citation
            if s not in refs:
                refs.append(s)
            if str(refs.index(s) + 1) not in nums:
                nums.append(str(refs.index(s) + 1))
        if ind.known:
            lo, hi = format_number(ind.low), format_number(ind.high)
            span = "" if lo == hi else f"{lo} - {hi}"
            central = format_number(ind.central) + ("*" if ind.status == "partial" else "")
        else:
            span, central = "", "unknown"
        rows.append((ind.name, central, span, ind.unit, ",".join(nums)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        lines.append(
            f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:^{widths[2]}}  {r[3]:<{widths[3]}}  {r[4]}".rstrip()
        )
    lines.append("")
    notes = [(i.name, i.note) for i in results.indicators.values() if i.note]
    if notes:
        lines.append("Notes (* partial: a sum that leaves out unknown parts)")
        for name, note in notes:
            lines.extend(textwrap.wrap(f"- {name}: {note}", width, subsequent_indent="  "))
        lines.append("")
    lines.append("Inputs (given / derived / default / unknown)")
    for rec in results.inputs.values():
        value = "unknown" if rec.value is None else str(rec.value)
        unit = f" {rec.unit}" if rec.unit and rec.unit != "-" and rec.value is not None else ""
        lines.extend(
            textwrap.wrap(f"- {rec.name} = {value}{unit} [{rec.status}]: {rec.source}", width, subsequent_indent="  ")
        )
    lines.append("")
    lines.append("Sources")
    for n, s in enumerate(refs, 1):
        lines.extend(textwrap.wrap(f"[{n}] {s}", width, subsequent_indent="    "))
    return "\n".join(lines) + "\n"


def format_csv(results) -> str:
    """The estimate as CSV, one row per indicator (``impact estimate --format csv``, and the
    file attached to the dossier); text cells are spreadsheet-safe (OWASP: a cell starting
    with ``=``, ``+``, ``-``, ``@`` gets a leading apostrophe)."""
    from ..textsafe import csv_safe_frame

    return csv_safe_frame(results.to_frame()).to_csv(index=False, lineterminator="\n")
