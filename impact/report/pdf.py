"""HTML to PDF/A-3 with WeasyPrint, safely and reproducibly.

Safety: the URL fetcher loads only ``data:`` URLs and files inside the folders it
is given (the project's templates and this run's figures): no other ``file://``,
no network. Reproducibility: the document's dates come from the caller, the
attachments' dates too, so the same inputs give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import struct
from pathlib import Path
from typing import ClassVar

#: The PNG layouts whose image data a PDF takes as they are: 8 bits per sample, grey (colour
#: type 0) or RGB (2), not interlaced (PDF 1.7, 7.4.4.4, the PNG predictors, with Colors 1 or 3).
_PASSTHROUGH_COLOUR_TYPES = (0, 2)


class BlockedURL(ValueError):
    """A resource outside the allowed folders (WeasyPrint skips it)."""


def make_fetcher(allowed_dirs):
    """A WeasyPrint URL fetcher limited to ``data:`` and files under ``allowed_dirs``."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    roots = [Path(d).resolve() for d in allowed_dirs]

    class SafeFetcher(URLFetcher):
        blocked: ClassVar[list[str]] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
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


def write_pdf(
    html: str,
    target: Path,
    *,
    base_dir: Path,
    allowed_dirs,
    date: dt.date,
    attachments: list[tuple[str, bytes, str]],
    lang: str = "fr",
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

    Returns
    -------
    list of str
        URLs that were blocked (for the caller to report).
    """
    from weasyprint import HTML, Attachment

    fetcher = make_fetcher(allowed_dirs)
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
            document = HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher)
            document.write_pdf(
                target,
                pdf_variant="pdf/a-3b",
                attachments=files,
                uncompressed_pdf=False,
                pdf_identifier=b"impact-dossier",
            )
    finally:
        if enabled:
            gc.enable()
    return list(fetcher.blocked)
