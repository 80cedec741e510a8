"""A Markdown summary of an estimate, from ``templates/estimate.md.j2``."""

from __future__ import annotations

import re

from ..paths import templates_dir
from .table import format_number

#: Characters that mean something to Markdown (CommonMark, GFM tables and strikethrough,
#: maths extensions) or start HTML or an entity: backslash-escaped anywhere in user text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|&~$])")
#: What starts a block only at the beginning of a line: a list item (``-``, ``1.``, ``1)``)
#: or a setext underline (``=``); ``+``, ``#``, ``>`` and ``*`` are escaped everywhere.
_LEADING_DASH = re.compile(r"^([-=])(?=[\s=-]|$)")
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
#: Unicode line and paragraph separators: ``str.splitlines`` breaks lines there too.
_LINE_BREAKS = re.compile("[\u2028\u2029]")


def md_escape(text) -> str:
    """User text (a name, a city, an author...) for a Markdown document, shown literally.

    Control characters and line breaks become spaces (a name never starts a line, so never
    a heading, a list item or a quote); Markdown's metacharacters are backslash-escaped
    (no emphasis, no link ``[x](http://...)``, no image, no code); ``<`` and ``&`` are
    escaped too, so no HTML tag nor entity gets through; a leading ``-``, ``=`` or ``1.`` is
    escaped, so that the text may also begin a line. A CommonMark reader shows the
    original text; :func:`md_unescape` gives it back.
    """
    from ..textsafe import strip_controls

    text = _LINE_BREAKS.sub(" ", strip_controls(str(text), " ")).strip()
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LEADING_DASH.sub(r"\\\1", text)
    return _LEADING_NUMBER.sub(r"\1\\\2", text)


#: A backslash escape of CommonMark: any ASCII punctuation character.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def md_unescape(text: str) -> str:
    """The text that a backslash-escaped Markdown string shows (``\\#`` -> ``#``)."""
    return _ESCAPED.sub(r"\1", text)


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
        rows.append(
            {
                "name": ind.name,
                "label": md_escape(INDICATORS[ind.name].label(lang)),
                "central": format_number(ind.central),
                "span": span,
                "unit": md_escape(ind.unit),
                "status": ind.status,
            }
        )
    inputs = [
        {
            "name": r.name,
            "value": md_escape("unknown" if r.value is None else f"{r.value} {r.unit}".strip()),
            "status": r.status,
            "source": md_escape(r.source),
        }
        for r in results.inputs.values()
    ]
    notes = [(i.name, md_escape(i.note)) for i in results.indicators.values() if i.note]
    template = env.get_template("estimate.md.j2")
    return template.render(title=title, meta=results.meta, rows=rows, notes=notes, inputs=inputs)
