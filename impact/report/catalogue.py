"""The report's words: one catalogue per language, ``templates/catalogue/<lang>/*.yaml``.

Each file is a flat YAML mapping ``key: text`` (safe-loaded); the files of a language
are merged, and a key defined in two files is an error that names both. Keys are
namespaced (``dossier.section.water``, ``finding.energy``, ``question.generators``,
``unit.MWh``, ``status.default``, ``note.<...>``). A text is a :meth:`str.format`
template with named placeholders only (``{value}``; ``{{`` for a literal brace).

Code picks a key by facts; the catalogue holds the words. A missing key or
placeholder raises :class:`CatalogueError` -- never a silent fallback to another
language. Catalogues are read once per process.

>>> from impact.report.catalogue import catalogue
>>> t = catalogue("fr")
>>> t("unit.t CO2e")
't CO₂e'
>>> t("number.range", low="1", high="2")
'1 à 2'
"""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

from ..paths import templates_dir

#: The language of the texts that impact's data and API carry (reference-table notes,
#: record notes, method texts): English.
DATA_LANG = "en"

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[^\s.{}][^{}\n]*)+$")
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")


class CatalogueError(LookupError):
    """A key or placeholder that the catalogue lacks, or a bad catalogue file."""


def catalogue_dir() -> Path:
    """Folder of the catalogues: one sub-folder per language."""
    return templates_dir() / "catalogue"


@cache
def languages() -> tuple[str, ...]:
    """The languages that have a catalogue, sorted."""
    return tuple(sorted(p.name for p in catalogue_dir().iterdir() if p.is_dir() and any(p.glob("*.yaml"))))


def placeholders(text: str) -> frozenset[str]:
    """The named placeholders of ``text`` (``{value}`` -> ``value``)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def _read_file(path: Path) -> dict[str, str]:
    import yaml

    try:
        # libyaml's safe loader when PyYAML has it (ten times faster: the CLI's tables load a catalogue).
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise CatalogueError(f"{path}: not valid YAML: {e}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping of key: text, got {type(data).__name__}")
    for key, text in data.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise CatalogueError(f"{path}: {key!r}: a key is a namespace and a name, e.g. dossier.cover.kind")
        if not isinstance(text, str) or not text:
            raise CatalogueError(
                f"{path}: {key}: expected a text (quote it: yes, no, numbers are not texts), got {text!r}"
            )
        try:
            names = placeholders(text)
        except ValueError as e:
            raise CatalogueError(f"{path}: {key}: {e} (write {{{{ and }}}} for literal braces)") from None
        bad = [n for n in names if not _FIELD.match(n)]
        if bad:
            raise CatalogueError(f"{path}: {key}: placeholders must be named, like {{value}}; got {bad}")
    return data


@cache
def _load(lang: str) -> dict[str, str]:
    folder = catalogue_dir() / lang
    texts: dict[str, str] = {}
    where: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        for key, text in _read_file(path).items():
            if key in texts:
                raise CatalogueError(f"{key}: defined twice, in {where[key]} and in {path}")
            texts[key] = text
            where[key] = path
    return texts


class Catalogue:
    """The texts of one language; call it with a key and the placeholders' values.

    >>> t = Catalogue("en")
    >>> t("number.percent", value="4.33")
    '4.33%'
    """

    __slots__ = ("_texts", "lang")

    def __init__(self, lang: str) -> None:
        if lang not in languages():
            raise CatalogueError(f"no catalogue for language {lang!r}; expected one of {', '.join(languages())}")
        self.lang = lang
        self._texts = _load(lang)

    def text(self, key: str) -> str:
        """The raw text of ``key`` (placeholders unfilled)."""
        try:
            return self._texts[key]
        except KeyError:
            raise CatalogueError(f"catalogue {self.lang}: no text for key {key!r}") from None

    def __call__(self, key: str, /, **args) -> str:
        text = self.text(key)
        try:
            return text.format(**args)
        except KeyError as e:
            raise CatalogueError(f"catalogue {self.lang}: {key}: placeholder {{{e.args[0]}}} not given") from None

    def has(self, key: str) -> bool:
        return key in self._texts

    def optional(self, key: str, /, **args) -> str | None:
        """The text of ``key``, or None when the catalogue has no such key (for keys
        looked up by name, such as ``question.<input>``)."""
        return self(key, **args) if key in self._texts else None

    def markup(self, key: str, /, **args):
        """The text as HTML: the catalogue's text and the values are escaped, except
        values that are already :class:`markupsafe.Markup` (e.g. ``<strong>`` made by a
        template filter from an escaped value)."""
        from markupsafe import Markup, escape

        text = self.text(key)
        try:
            return Markup(escape(text)).format(**args)
        except KeyError as e:
            raise CatalogueError(f"catalogue {self.lang}: {key}: placeholder {{{e.args[0]}}} not given") from None

    def keys(self, prefix: str = "") -> list[str]:
        return [k for k in self._texts if k.startswith(prefix)]

    def join(self, items) -> str:
        """Items as a list in running text (``a, b, c``)."""
        return self("list.separator").join(items)


@cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``, built once per process."""
    return Catalogue(lang)


def data_column(row: dict, name: str, lang: str) -> str:
    """A reference table's text column in ``lang``: by the tables' convention the
    English text is in ``name`` and another language's in ``name_<lang>``."""
    column = name if lang == DATA_LANG else f"{name}_{lang}"
    try:
        return row[column]
    except KeyError:
        raise CatalogueError(f"reference table row has no column {column!r} for language {lang!r}") from None
