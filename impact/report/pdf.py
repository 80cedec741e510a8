"""HTML to PDF/A-3 with WeasyPrint, safely and reproducibly.

Safety: the URL fetcher loads only ``data:`` URLs, the caller's in-memory resources and
files inside the folders it is given (the project's templates and this run's figures): no
other ``file://``, no network. Reproducibility: the document's dates come from the caller,
the attachments' dates too, so the same inputs give the same bytes.

Speed (issue 15, many city reports in one process): a stylesheet given as a file is parsed
once per process (:func:`_parsed_stylesheet`) and the font configuration made once per
process (:func:`_font_config`); an image given in memory (``resources``) is not written into
the HTML, which WeasyPrint's HTML parser would otherwise scan character by character.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import os
import re
import struct
from pathlib import Path
from typing import ClassVar

#: The scheme of the URLs by which a document names its in-memory resources (``write_pdf``).
RESOURCE_SCHEME = "impact-resource"
#: At-rules whose parsing reads files or changes a document's own state (its fonts, its
#: counter styles, its colour profiles): a stylesheet with one is parsed afresh each time.
_STATEFUL_AT_RULES = re.compile(r"@(import|font-face|counter-style|color-profile)\b", re.IGNORECASE)
_FONT_FACE = re.compile(r"@font-face\b", re.IGNORECASE)
#: Parsed stylesheets by (text, base URL): at most a few, the templates' own.
_STYLESHEETS: dict[tuple[str, str], object] = {}
#: The font configuration of this process: (process id, FontConfiguration).
_FONT_CONFIG: list[tuple[int, object]] = []

#: The PNG layouts whose image data a PDF takes as they are: 8 bits per sample, grey (colour
#: type 0) or RGB (2), not interlaced (PDF 1.7, 7.4.4.4, the PNG predictors, with Colors 1 or 3).
_PASSTHROUGH_COLOUR_TYPES = (0, 2)


class BlockedURL(ValueError):
    """A resource outside the allowed folders (WeasyPrint skips it)."""


def make_fetcher(allowed_dirs, resources=None):
    """A WeasyPrint URL fetcher limited to ``data:``, ``resources`` and files under ``allowed_dirs``.

    ``resources`` maps a URL (``impact-resource:<name>``) to ``(bytes, MIME type)``."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [Path(d).resolve() for d in allowed_dirs]
    in_memory = dict(resources or {})

    class SafeFetcher(URLFetcher):
        blocked: ClassVar[list[str]] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if url in in_memory:
                data, mime_type = in_memory[url]
                return URLFetcherResponse(url, data, {"Content-Type": mime_type})
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path == r or r in path.parents for r in roots) and path.is_file():
                    return super().fetch(url, headers)
            self.blocked.append(url)
            raise BlockedURL(f"blocked by impact's URL fetcher: {url}")

    return SafeFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def png_image_data(png: bytes) -> bytes | None:
    """The zlib stream of ``png`` (its IDAT chunks joined), when a PDF can use it unchanged.

    WeasyPrint decodes every PNG and encodes it again at zlib's default level only to take
    these same chunks out of its own copy (about 40 ms a chart: docs/performance.md,
    "Dossier"). For an 8-bit, non-interlaced grey or RGB PNG the chunks of the original
    already are what the PDF's FlateDecode filter with a PNG predictor reads; any other PNG
    (palette, 16 bits, alpha, interlaced) or a damaged one returns None.
    """
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR" or len(png) < 33:
        return None
    depth, colour, _compression, _filter, interlace = png[24:29]
    if depth != 8 or colour not in _PASSTHROUGH_COLOUR_TYPES or interlace:
        return None
    chunks, at = [], 8
    while at + 8 <= len(png):
        (length,) = struct.unpack("!I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        elif kind == b"IEND":
            return b"".join(chunks) or None
        at += 12 + length
    return None  # no IEND: a truncated file is left to WeasyPrint


@contextlib.contextmanager
def _png_passthrough():
    """While WeasyPrint writes, PNGs it can take as they are are not encoded again.

    Falls back to WeasyPrint's own encoding for every image :func:`png_image_data` refuses,
    and for a WeasyPrint whose images module lacks the hook (nothing changes then)."""
    from weasyprint import images

    raster = getattr(images, "RasterImage", None)
    original = getattr(raster, "_get_png_data", None)
    if original is None:
        yield
        return

    def get_png_data(pillow_image):
        fp = getattr(pillow_image, "fp", None)
        if getattr(pillow_image, "format", None) == "PNG" and isinstance(fp, io.BytesIO):
            data = png_image_data(fp.getvalue())
            if data is not None:
                return data
        return original(pillow_image)

    raster._get_png_data = staticmethod(get_png_data)  # type: ignore[union-attr]
    try:
        yield
    finally:
        raster._get_png_data = staticmethod(original)  # type: ignore[union-attr]


def _font_config():
    """This process's WeasyPrint font configuration, made on first use.

    Making one loads fontconfig's configuration and a new Pango font map, whose fonts are
    then opened again by every document; one per process serves them all (WeasyPrint's API
    allows a configuration for several documents). Keyed by the process id: a worker forked
    from a process that rendered makes its own rather than share the parent's native state.
    """
    from weasyprint.text.fonts import FontConfiguration

    pid = os.getpid()
    if not _FONT_CONFIG or _FONT_CONFIG[0][0] != pid:
        _FONT_CONFIG[:] = [(pid, FontConfiguration())]
    return _FONT_CONFIG[0][1]


def _document_font_config(html: str, stylesheets: list[str]):
    """The process's font configuration (:func:`_font_config`), or a new one for a document
    whose ``@font-face`` rules would add its fonts to it (and so to the next documents')."""
    from weasyprint.text.fonts import FontConfiguration

    if any(_FONT_FACE.search(text) for text in (html, *stylesheets)):
        return FontConfiguration()
    return _font_config()


def _parsed_stylesheet(text: str, base_url: str, font_config, fetcher):
    """The stylesheet ``text`` as a ``weasyprint.CSS``, parsed once per text and base URL.

    A parsed stylesheet holds only Python objects (its rules and selector matcher), which
    WeasyPrint reads and never changes while rendering: one serves every document, and a
    forked process's copy too. A stylesheet with an at-rule that fetches files or registers
    fonts (:data:`_STATEFUL_AT_RULES`) is parsed for each document, through its fetcher.
    """
    from weasyprint import CSS

    if _STATEFUL_AT_RULES.search(text):
        return CSS(string=text, base_url=base_url, url_fetcher=fetcher, font_config=font_config)
    key = (text, base_url)
    if key not in _STYLESHEETS:
        _STYLESHEETS[key] = CSS(string=text, base_url=base_url, url_fetcher=fetcher, font_config=font_config)
    return _STYLESHEETS[key]


def write_pdf(
    html: str,
    target: Path,
    *,
    base_dir: Path,
    allowed_dirs,
    date: dt.date,
    attachments: list[tuple[str, bytes, str]],
    lang: str = "fr",
    stylesheets=(),
    resources: dict[str, tuple[bytes, str]] | None = None,
) -> list[str]:
    """Render ``html`` to ``target`` as PDF/A-3b with ``attachments``.

    Parameters
    ----------
    html : str
        The document (its ``<meta name=dcterms.created>`` sets the dates).
    target : Path
        Where to write the PDF.
    base_dir : Path
        Base for relative URLs (the templates folder).
    allowed_dirs : iterable of Path
        The only folders the document may load files from.
    date : datetime.date
        Date of the attachments' metadata.
    attachments : list of (name, bytes, description)
        Files embedded in the PDF (PDF/A-3 "associated files").
    lang : str
        The document's language (unused here: the HTML says it).
    stylesheets : iterable of Path
        Stylesheet files applied after the document's own ``<style>`` rules, with the
        precedence of a user stylesheet (below the document's rules, above the browser's):
        parsed once per process (:func:`_parsed_stylesheet`).
    resources : dict of str to (bytes, str), optional
        In-memory files by URL (``impact-resource:<name>``) with their MIME type: an
        ``<img src>`` naming one loads these bytes.

    Returns
    -------
    list of str
        URLs that were blocked (for the caller to report).
    """
    from weasyprint import HTML, Attachment

    fetcher = make_fetcher(allowed_dirs, resources)
    base_url = str(base_dir) + "/"
    # Read on every call (a few kB), so that an edited stylesheet is parsed again.
    texts = [Path(p).read_text(encoding="utf-8") for p in stylesheets]
    font_config = _document_font_config(html, texts)
    sheets = [_parsed_stylesheet(text, base_url, font_config, fetcher) for text in texts]
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    files = [
        Attachment(
            string=data,
            name=name,
            description=description,
            created=stamp,
            modified=stamp,
            relationship="Source",
            url_fetcher=fetcher,
        )
        for name, data, description in attachments
    ]
    # WeasyPrint makes a great many objects that live until the PDF is written, and each of
    # the garbage collector's passes over them finds next to nothing to free: the full ones walk
    # this process's whole heap too (its modules, the data files' tables, the estimates). Without
    # the collector the render of MRS5's dossier takes about 0.5 s less CPU, for 7-9 MB more at
    # the peak (docs/performance.md, "Dossier").
    # The collector's state is restored after, whatever it was.
    enabled = gc.isenabled()
    gc.disable()
    try:
        with _png_passthrough():
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            document.write_pdf(
                target,
                pdf_variant="pdf/a-3b",
                attachments=files,
                uncompressed_pdf=False,
                pdf_identifier=b"impact-dossier",
                stylesheets=sheets,
                font_config=font_config,
            )
    finally:
        if enabled:
            gc.enable()
    return list(fetcher.blocked)
