"""The web page for residents (issue 14): ``impact serve`` starts it on http://127.0.0.1:8000/.

The form is built from the project's JSON Schema (:mod:`impact.web.form`), the work is done by
the same code as the command line (:mod:`impact.web.service`), the pages and the API are served
by FastAPI (:mod:`impact.web.app`). This package is the only one that imports the web stack, so
``impact --help`` and ``impact estimate`` never load it.
"""

from __future__ import annotations

import sys

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def serve_message(host: str, port: int, lang: str = "en") -> str:
    """What ``impact serve`` says when it starts: the address, and a warning when the network can reach it."""
    from ..report.catalogue import catalogue

    key = "web.serve.local" if host in LOCAL_HOSTS else "web.serve.network"
    return catalogue(lang)(key, host=host, port=port)


def serve(host: str = "127.0.0.1", port: int = 8000, *, running: int = 2, timeout: float = 300.0) -> None:
    """Run the web application until Ctrl+C (uvicorn, one process)."""
    import uvicorn

    from .app import create_app

    print(serve_message(host, port), file=sys.stderr, flush=True)
    uvicorn.run(create_app(running=running, timeout=timeout), host=host, port=port, log_level="warning")
