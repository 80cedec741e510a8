"""The catalogue of indicators: names, units and labels, from ``data/schema/indicators.csv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from .paths import data_dir


@dataclass(frozen=True)
class IndicatorInfo:
    name: str
    unit: str
    period: str  # "year" (annual), "peak", "mean" (an annual mean power), or "-" (a stock, a temperature)
    label_en: str
    label_fr: str
    definition: str
    definition_fr: str
    source: str

    def label(self, lang: str = "en") -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def describe(self, lang: str = "en") -> str:
        return self.definition_fr if lang == "fr" else self.definition


def _read() -> dict[str, IndicatorInfo]:
    with (data_dir() / "schema" / "indicators.csv").open(newline="", encoding="utf-8") as f:
        return {row["indicator"]: IndicatorInfo(row.pop("indicator"), **row) for row in csv.DictReader(f)}


INDICATORS: dict[str, IndicatorInfo] = _read()
