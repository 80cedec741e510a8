"""A Markdown summary of an estimate, from ``templates/estimate.md.j2``."""

from __future__ import annotations

import re

from ..paths import templates_dir
from .table import format_number

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|])")


def md_escape(text: str) -> str:
    """Escape Markdown and HTML specials so user text shows literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def format_markdown(results, lang: str = "en") -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=False,  # Markdown, not HTML: user text goes through md_escape instead
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    from ..indicators import INDICATORS

    p = results.project
    title = md_escape(p.name + (f" ({p.operator})" if p.operator else "") + (f", {p.city}" if p.city else ""))
    rows = []
    for ind in results.indicators.values():
        span = "" if not ind.known or ind.low == ind.high else f"{format_number(ind.low)} - {format_number(ind.high)}"
        rows.append({
            "name": ind.name,
            "label": md_escape(INDICATORS[ind.name].label(lang)),
            "central": format_number(ind.central),
            "span": span,
            "unit": md_escape(ind.unit),
            "status": ind.status,
        })
    inputs = [
        {"name": r.name, "value": md_escape("unknown" if r.value is None else f"{r.value} {r.unit}".strip()),
         "status": r.status, "source": md_escape(r.source)}
        for r in results.inputs.values()
    ]
    notes = [(i.name, md_escape(i.note)) for i in results.indicators.values() if i.note]
    template = env.get_template("estimate.md.j2")
    return template.render(title=title, meta=results.meta, rows=rows, notes=notes, inputs=inputs)
