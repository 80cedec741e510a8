"""What an estimate returns: indicators with ranges, and every input with its status."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .ranges import Range

STATUSES = ("given", "derived", "default", "unknown")


@dataclass(frozen=True)
class InputRecord:
    """One input of the estimate, as used.

    ``status`` is ``given`` (in the project file), ``derived`` (computed from
    other given inputs), ``default`` (a reference figure replaced a missing or
    ``unknown`` value) or ``unknown`` (nothing could replace it).
    """

    name: str
    value: Range | str | None
    unit: str
    status: str
    source: str
    note: str = ""
    declared_unknown: bool = False  # the project file says "unknown" (not published)
    #: The note as a catalogue key and its arguments, for reports in any language
    #: (``note`` stays the English text of the API and the CLI). In reports, numbers
    #: in ``note_args`` are formatted in the report's language and some codes
    #: (``cooling_type``...) translated; the args also fill ``value_key`` and ``source_key``.
    note_key: str = ""
    note_args: tuple[tuple[str, Any], ...] = ()
    #: A catalogue key for a text ``value`` that impact writes itself (e.g. "modelled
    #: hour by hour"); codes and file names need none.
    value_key: str = ""
    #: A catalogue key for a ``source`` that is impact's own words rather than a
    #: citation (e.g. why an input is unknown, "project file").
    source_key: str = ""
    #: The reference table's own note (its ``note`` column, in English), shown in
    #: reports as the source's words.
    source_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        value = self.value.to_dict() if isinstance(self.value, Range) else self.value
        return {
            "value": value,
            "unit": self.unit,
            "status": self.status,
            "source": self.source,
            "note": self.note,
            "declared_unknown": self.declared_unknown,
            # The note as a catalogue key and its arguments (templates/catalogue), for other languages.
            "note_key": self.note_key,
            "note_args": {
                k: v if isinstance(v, (int, float, str, bool)) or v is None else str(v) for k, v in self.note_args
            },
        }


@dataclass(frozen=True)
class Indicator:
    """An estimated indicator: low / central / high in ``unit``.

    ``status`` is ``estimated``, ``partial`` (a sum whose unknown parts are left
    out, see ``note``) or ``unknown`` (values are None).
    """

    name: str
    unit: str
    low: float | None
    central: float | None
    high: float | None
    status: str
    method: str
    sources: tuple[str, ...] = ()
    note: str = ""
    missing: tuple[str, ...] = ()  # the unknown inputs (or parts) that make it unknown or partial

    @property
    def known(self) -> bool:
        return self.central is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "low": self.low,
            "central": self.central,
            "high": self.high,
            "status": self.status,
            "method": self.method,
            "sources": list(self.sources),
            "note": self.note,
            "missing": list(self.missing),
        }


@dataclass
class Results:
    """The estimate of one project.

    Attributes
    ----------
    project : Project
        The validated project.
    indicators : dict of str to Indicator
        In catalogue order (``data/schema/indicators.csv``).
    inputs : dict of str to InputRecord
        Every input used, with its status and source.
    samples : pandas.DataFrame
        The Monte Carlo draws of every indicator (one row per draw).
    meta : dict
        Tool version, seed, number of draws, input fingerprint, year used,
        whether the hourly cooling model ran.
    hourly : pandas.DataFrame or None
        The hourly cooling model on central values (tz-aware index, 8,760 rows):
        temperatures, cooling by mode [MW], power [MW], PUE, thermal discharge.
    nearest_substations : list of dict or None
        The three substations nearest to the site (``name``, ``code``,
        ``voltage_kv`` [kV], ``distance_km`` [km], ...), nearest first, of
        ``context.substations`` or else of RTE's national table shipped in the package
        (a site in France with a location); else None. The connection facts (reference
        domain, nearest connectable substations) are in ``meta["grid_connection"]``.
    site : impact.site.Site or None
        Where the site is: its commune, département, région and EPCI (see
        :func:`impact.site.place_site`); also as plain values in ``meta["site"]``.
    """

    project: Any
    indicators: dict[str, Indicator]
    inputs: dict[str, InputRecord]
    samples: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
    hourly: Any = None
    nearest_substations: list[dict[str, Any]] | None = None
    site: Any = None  # impact.site.Site: the commune, département, région and EPCI

    def __getitem__(self, name: str) -> Indicator:
        return self.indicators[name]

    def central(self, name: str) -> float | None:
        return self.indicators[name].central

    def to_frame(self):
        """Tidy table: one row per indicator (indicator, unit, low, central, high, ...)."""
        import pandas as pd

        rows = [
            {
                "indicator": ind.name,
                "unit": ind.unit,
                "low": ind.low,
                "central": ind.central,
                "high": ind.high,
                "status": ind.status,
                "method": ind.method,
                "sources": "; ".join(ind.sources),
                "note": ind.note,
            }
            for ind in self.indicators.values()
        ]
        return pd.DataFrame(rows, columns=list(rows[0]) if rows else None)

    def inputs_frame(self):
        """One row per input: name, low, central, high, unit, status, source, note."""
        import pandas as pd

        rows = []
        for rec in self.inputs.values():
            value = rec.value
            low = central = high = text = None
            if isinstance(value, Range):
                low, central, high = value.low, value.central, value.high
            else:
                text = value
            rows.append(
                {
                    "input": rec.name,
                    "low": low,
                    "central": central,
                    "high": high,
                    "text": text,
                    "unit": rec.unit,
                    "status": rec.status,
                    "source": rec.source,
                    "note": rec.note,
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        p = self.project
        project = {
            "name": p.name,
            "operator": p.operator,
            "city": p.city,
            "country": p.country,
            "location": p.location.model_dump() if p.location else None,
        }
        project.update(self.meta)
        out: dict[str, Any] = {
            "project": project,
            "indicators": {k: v.to_dict() for k, v in self.indicators.items()},
            "inputs": {k: v.to_dict() for k, v in self.inputs.items()},
        }
        if self.nearest_substations is not None:  # a located site in France, or a substations file
            out["nearest_substations"] = self.nearest_substations
        return out

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as strict JSON text: never NaN nor Infinity (a value that is not a finite
        number is written null, unknown); UTF-8 text, not ASCII escapes."""
        import json

        return json.dumps(finite_or_null(self.to_dict()), indent=indent, ensure_ascii=False, allow_nan=False) + "\n"

    def __repr__(self) -> str:
        known = sum(1 for i in self.indicators.values() if i.known)
        return f"<Results {self.project.name!r}: {known}/{len(self.indicators)} indicators estimated>"

    def _repr_html_(self) -> str:  # Jupyter
        return self.to_frame()[["indicator", "unit", "low", "central", "high", "status"]].to_html(index=False)


def clean_number(x: Any) -> float | None:
    """A float, or None for NaN, infinity or missing (JSON has none of them)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def finite_or_null(value: Any) -> Any:
    """``value`` (a tree of dicts, lists and scalars) for strict JSON: every float that is not
    finite becomes None, NumPy scalars become Python numbers, tuples become lists."""
    if isinstance(value, dict):
        return {k: finite_or_null(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_null(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float) or hasattr(value, "dtype"):  # a NumPy scalar too
        try:
            x = float(value)
        except (TypeError, ValueError):
            return str(value)
        if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iub":
            return value.item()
        return x if math.isfinite(x) else None
    return value
