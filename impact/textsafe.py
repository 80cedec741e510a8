"""User and file text made safe to show: in a terminal, in a message, in a spreadsheet cell.

Text from users and from data files is data. It reaches three places where some characters
act as commands: a terminal (control characters, ANSI escapes), an error message (a value
may be huge: a YAML alias bomb, a whole file) and a spreadsheet (a cell starting with ``=``
is a formula). These helpers neutralise each; they never raise.
"""

from __future__ import annotations

import re
from typing import Any

#: The longest excerpt of a value or of a file that a message quotes [characters].
EXCERPT_CHARS = 80

# C0 and C1 controls (tab and newline too: an excerpt is one line), DEL, and the Unicode
# bidirectional overrides that can make text read backwards in a terminal.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# OWASP "CSV injection": a cell starting with one of these is read as a formula by spreadsheets.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def strip_controls(text: str, replacement: str = " ") -> str:
    """``text`` with control characters (and bidirectional overrides) replaced by ``replacement``."""
    return _CONTROLS.sub(replacement, str(text))


def terminal_text(text: str) -> str:
    """A message fit for a terminal: each line's controls removed, line breaks kept."""
    return "\n".join(strip_controls(line, "") for line in str(text).split("\n"))


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A short, one-line, printable quotation of ``value`` for an error message.

    Strings are quoted like ``repr`` (so an empty or blank value shows); containers are
    described by their type and size, never expanded (a YAML alias bomb has a repr of
    gigabytes); other values use ``repr``, cut. At most ``limit`` characters, plus an ellipsis.
    """
    if isinstance(value, str):
        text = repr(value[: limit + 1])
    elif isinstance(value, dict):
        return f"a mapping of {len(value)} key{'s' if len(value) != 1 else ''}"
    elif isinstance(value, (list, tuple, set, frozenset)):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"  # str() of it may fail
    else:
        try:
            text = repr(value)
        except Exception:  # a repr that fails is still shown as something
            text = f"<{type(value).__name__}>"
    text = strip_controls(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def csv_cell(value: Any) -> Any:
    """A spreadsheet-safe cell: text starting with a formula prefix gets a leading apostrophe.

    The OWASP rule (https://owasp.org/www-community/attacks/CSV_Injection): a cell that
    begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed with ``'`` so
    that a spreadsheet shows it as text. Numbers are left alone (``-3.5`` stays a number), and
    so is a lone sign (``-``, the unit of a ratio: nothing follows it to compute).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES) and value not in ("-", "+"):
        return "'" + value
    return value


def csv_safe_frame(df):
    """A copy of the DataFrame ``df`` whose text cells (and column names) pass :func:`csv_cell`."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith(("string", "str")):
            out[col] = out[col].map(csv_cell)
    out.columns = [csv_cell(c) for c in out.columns]
    return out
