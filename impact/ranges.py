"""Low / central / high values: the project file's way of saying "about".

A number in a project file is either a plain number or a mapping
``{low: .., central: .., high: ..}`` with ``low <= central <= high``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .errors import RuleError, Said


class Unknown:
    """A value the user declared as not published (``unknown`` in YAML)."""

    _instance = None

    def __new__(cls):  # a singleton, so ``x is UNKNOWN`` works
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):  # the project file's ``unknown``
        from .schema import UNKNOWN_SCHEMA

        return dict(UNKNOWN_SCHEMA)


UNKNOWN = Unknown()


@dataclass(frozen=True)
class Range:
    """A value with its plausible span: ``low <= central <= high``."""

    low: float
    central: float
    high: float

    @classmethod
    def point(cls, value: float) -> Range:
        return cls(float(value), float(value), float(value))

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def scale(self, factor: float) -> Range:
        return Range(self.low * factor, self.central * factor, self.high * factor)

    def to_dict(self) -> dict[str, float]:
        return {"low": self.low, "central": self.central, "high": self.high}

    def __str__(self) -> str:
        if self.is_point:
            return f"{self.central:g}"
        return f"{self.central:g} ({self.low:g} to {self.high:g})"


def _describe(value: Any) -> str:
    # Never the repr of a whole value: a YAML alias bomb has a repr of gigabytes.
    from .textsafe import excerpt

    if value is None:
        return "nothing (empty)"
    return excerpt(value)


#: A number in e-notation without a decimal point or without the exponent's sign (``1e6``,
#: ``2.5e3``) is text for YAML 1.1 (PyYAML); in a numeric field it can only mean the number.
_E_NOTATION = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def _number(value: Any, where: str = "") -> float:
    prefix = f"{where} " if where else ""
    if isinstance(value, str) and _E_NOTATION.fullmatch(value.strip()):
        value = float(value.strip())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint: str = ""
        if isinstance(value, str) and value.strip():
            head = value.strip()[:40].split()[0].replace(",", ".")
            try:
                float(head)
                text = f" (write the number alone, e.g. {head}, the unit is in the field's name)"
                hint = Said(text, "loader.number.alone", {"number": head})
            except ValueError:
                pass
        got = _describe(value)
        text = f"{prefix}must be a number, got {got}{hint}"
        raise RuleError("loader.number", text, where=prefix, got=got, hint=hint)
    try:
        value = float(value)
    except OverflowError:  # an integer beyond any float (10**400)
        got = _describe(value)
        raise RuleError(
            "loader.number.finite", f"{prefix}must be a finite number, got {got}", where=prefix, got=got
        ) from None
    if not math.isfinite(value):
        text = f"{prefix}must be a finite number, got {value}"
        raise RuleError("loader.number.finite", text, where=prefix, got=str(value))
    return value


def _fmt(x: float) -> str:
    if isinstance(x, int) and abs(x) > 2**63:  # a huge integer: format() would overflow
        from .textsafe import excerpt

        return excerpt(x)
    return f"{x:g}"


def check_bounds(value: float, where: str, ge=None, gt=None, le=None, lt=None) -> None:
    """Raise ``ValueError`` with a plain message when ``value`` is out of bounds."""
    prefix = f"{where} " if where else ""
    low_ok = (ge is None or value >= ge) and (gt is None or value > gt)
    high_ok = (le is None or value <= le) and (lt is None or value < lt)
    if low_ok and high_ok:
        return
    if ge is not None and le is not None:
        low, high, got = _fmt(ge), _fmt(le), _got(value, ge, le)
        text = f"{prefix}must be between {low} and {high}, got {got}"
        raise RuleError("loader.bounds.between", text, where=prefix, low=low, high=high, got=got)
    if not low_ok:
        word, bound = ("at least", ge) if ge is not None else ("greater than", gt)
    else:
        word, bound = ("at most", le) if le is not None else ("less than", lt)
    key = {"at least": "ge", "greater than": "gt", "at most": "le", "less than": "lt"}[word]
    key = {"ge": "loader.bounds.ge", "gt": "loader.bounds.gt", "le": "loader.bounds.le", "lt": "loader.bounds.lt"}[key]
    text = f"{prefix}must be {word} {_fmt(bound)}, got {_got(value, bound)}"
    raise RuleError(key, text, where=prefix, bound=_fmt(bound), got=_got(value, bound))


def _got(value: float, *bounds: float) -> str:
    """``value`` as a message shows it: in full when its short form would look like a bound."""
    text = _fmt(value)
    if any(text == _fmt(b) for b in bounds) and isinstance(value, float):
        return repr(value)
    return text


def parse_range(value: Any, *, allow_unknown: bool = False, **bounds) -> Range | Unknown:
    """Turn a project-file value into a :class:`Range`, or raise ``ValueError``.

    ``bounds`` are ``ge``, ``gt``, ``le``, ``lt`` and apply to every part.
    """
    if isinstance(value, Range):
        parts = value.to_dict()
    elif isinstance(value, str) and value.strip().lower() in {"unknown", "inconnu"}:
        if allow_unknown:
            return UNKNOWN
        raise RuleError("loader.range.not_unknown", "is required here and cannot be 'unknown'")
    elif isinstance(value, dict):
        keys = set(value)
        expected = {"low", "central", "high"}
        if keys != expected:
            missing = ", ".join(sorted(expected - keys))
            unexpected = sorted(str(k)[:40] for k in keys - expected)
            extra = ", ".join(unexpected[:5]) + (f" and {len(unexpected) - 5} more" if len(unexpected) > 5 else "")
            detail = "; ".join(
                p for p in (f"missing {missing}" if missing else "", f"unexpected {extra}" if extra else "") if p
            )
            text = f"must be a number or {{low: .., central: .., high: ..}} ({detail})"
            key = "loader.range.keys_both" if missing and extra else "loader.range.keys_missing"
            key = key if missing else "loader.range.keys_unexpected"
            raise RuleError(key, text, missing=missing, unexpected=extra)
        parts = {k: _number(value[k], k) for k in ("low", "central", "high")}
    else:
        try:
            x = _number(value)
        except ValueError as exc:
            raise RuleError(
                "loader.range.or_range", f"{exc} or {{low: .., central: .., high: ..}}", reason=Said.of(exc)
            ) from None
        parts = {"low": x, "central": x, "high": x}
    is_point = parts["low"] == parts["high"] == parts["central"]
    for key in ("low", "central", "high"):
        check_bounds(parts[key], "" if is_point else key, **bounds)
        if is_point:
            break
    if not parts["low"] <= parts["central"] <= parts["high"]:
        low, central, high = (_fmt(parts[k]) for k in ("low", "central", "high"))
        text = f"must satisfy low <= central <= high, got low={low}, central={central}, high={high}"
        raise RuleError("loader.range.order", text, low=low, central=central, high=high)
    return Range(parts["low"], parts["central"], parts["high"])
