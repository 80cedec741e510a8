"""The colours of the web page measured against WCAG 2.1's contrast minimums, not only by eye.

WCAG 2.1, success criterion 1.4.3 « Contrast (Minimum) » (level AA): text at least 4.5:1 against its
background, large text (18 pt, or 14 pt bold: 24 px, or 18.66 px bold) at least 3:1; criterion 1.4.11
« Non-text Contrast »: the boundaries of controls and the focus indicator at least 3:1. The ratio is
(L1 + 0.05) / (L2 + 0.05) of the relative luminances, L = 0.2126 R + 0.7152 G + 0.0722 B of the
linearised sRGB channels (WCAG 2.1, definitions « contrast ratio » and « relative luminance »,
https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).

Every text colour of templates/web/web.css is checked against every background it may sit on:
a rule that sets both is one pair; a rule that sets a colour only is read on every background of a
block (the page, a notice, a button); a rule that sets a background only holds the page's text and
every colour-only text (a link, an error inside a notice).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "templates" / "web" / "web.css"
#: WCAG 2.1 1.4.3 and 1.4.11 minimums.
TEXT, LARGE_TEXT, NON_TEXT = 4.5, 3.0, 3.0
ROOT_PX = 16.0


def _channel(c: int) -> float:
    s = c / 255
    # WCAG 2.1 writes 0.03928 (the sRGB draft's value); 0.04045 (IEC 61966-2-1) changes no 8-bit channel's side
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize(
    "a, b, ratio",
    [
        ("#000", "#fff", 21.0),  # the largest ratio, by definition
        ("#fff", "#fff", 1.0),
        ("#767676", "#fff", 4.54),  # the lightest grey passing 4.5:1 on white (WebAIM's contrast checker)
        ("#777777", "#fff", 4.48),  # one step lighter fails
        ("#0000ff", "#fff", 8.59),  # pure blue on white (WebAIM)
    ],
)
def test_the_contrast_formula_gives_the_published_ratios(a, b, ratio):
    assert contrast(a, b) == pytest.approx(ratio, abs=0.005)


def _rules() -> list[tuple[str, dict[str, str]]]:
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^}]*\})*)\s*\}", r"\1", text)  # the rules inside media queries
    out = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                k, v = decl.split(":", 1)
                decls[k.strip()] = v.strip()
        out.append((selector.strip(), decls))
    return out


def _variables(rules) -> dict[str, str]:
    return {k: v for sel, d in rules if sel == ":root" for k, v in d.items() if k.startswith("--")}


def _colour(value: str | None, variables: dict[str, str]) -> str | None:
    """The #hex colour of a declaration (``var(--ink)``, ``#fff``, ``background: var(--accent)``), or None."""
    if not value:
        return None
    value = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m[1]], value)
    m = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    if m:
        return m[0]
    assert not re.search(r"rgb|hsl|\b(white|black|red|blue|gray|grey)\b", value), (
        f"a colour the test cannot read: {value}"
    )
    return None


def _large(decls: dict[str, str]) -> bool:
    size = decls.get("font-size", "")
    m = re.fullmatch(r"([\d.]+)rem", size)
    px = float(m[1]) * ROOT_PX if m else ROOT_PX
    bold = decls.get("font-weight") == "bold"
    return px >= 24 or (bold and px >= 18.66)


def _pairs():
    rules = _rules()
    variables = _variables(rules)
    body = next(d for s, d in rules if s == "body")
    page_ink, page = _colour(body["color"], variables), _colour(body["background"], variables)
    both, colour_only, background_only = [], [], []
    for selector, d in rules:
        fg = _colour(d.get("color"), variables)
        bg = _colour(d.get("background") or d.get("background-color"), variables)
        if fg and bg:
            both.append((selector, fg, bg, _large(d)))
        elif fg:
            colour_only.append((selector, fg, _large(d)))
        elif bg:
            background_only.append((selector, bg))
    # the blocks a colour-only text may sit on: the page and the backgrounds set without a colour
    # (a rule that sets both, such as the primary button, holds its own text only)
    blocks = {page: "the page"}
    for s, bg in background_only:
        blocks.setdefault(bg, s)
    pairs = [(s, fg, bg, large) for s, fg, bg, large in both]
    for s, fg, large in colour_only:
        pairs += [(f"{s} on {where}", fg, bg, large) for bg, where in blocks.items()]
    for s, bg in background_only:
        pairs.append((f"the page's text on {s}", page_ink, bg, False))
    return pairs


def test_the_style_sheet_is_read():
    pairs = _pairs()
    assert len(pairs) >= 15  # the links, the errors, the helps, the buttons, the notice...
    selectors = " ".join(p[0] for p in pairs)
    for part in (".error", ".help", "button.primary", ".notice", "footer", "a on the page"):
        assert part in selectors


@pytest.mark.parametrize("selector, fg, bg, large", _pairs(), ids=lambda x: str(x)[:50])
def test_every_text_colour_has_the_wcag_aa_contrast(selector, fg, bg, large):
    ratio = contrast(fg, bg)
    needed = LARGE_TEXT if large else TEXT
    assert ratio >= needed, f"{selector}: {fg} on {bg} is {ratio:.2f}:1, WCAG 2.1 1.4.3 asks {needed}:1"


def test_controls_and_focus_stand_out_of_the_page():
    rules = _rules()
    variables = _variables(rules)
    page = _colour(next(d for s, d in rules if s == "body")["background"], variables)
    found = []
    for selector, d in rules:
        for prop in ("border", "outline"):
            colour = _colour(d.get(prop), variables)
            if colour and ("input" in selector or "focus" in selector or selector.startswith("button")):
                found.append((selector, prop, colour))
    assert len(found) >= 3
    for selector, prop, colour in found:
        ratio = contrast(colour, page)
        assert ratio >= NON_TEXT, f"{selector} {prop}: {colour} on {page} is {ratio:.2f}:1, WCAG 2.1 1.4.11 asks 3:1"
