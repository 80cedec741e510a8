"""HTML to PDF/A-3 with WeasyPrint, safely and reproducibly.

Safety: the URL fetcher loads only ``data:`` URLs and files inside the folders it
is given (the project's templates and this run's figures): no other ``file://``,
no network. Reproducibility: the document's dates come from the caller, the
attachments' dates too, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import ClassVar


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
        document = HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher)
        document.write_pdf(
            target, pdf_variant="pdf/a-3b", attachments=files, uncompressed_pdf=False, pdf_identifier=b"impact-dossier"
        )
    finally:
        if enabled:
            gc.enable()
    return list(fetcher.blocked)
