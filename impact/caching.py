"""A cache per process and thread, for objects that hold native state.

A pyproj transformer or ``Proj`` (a PROJ context) and a SQLite connection must not be shared
with a forked worker (it would use its parent's native state) nor, for SQLite, with another
thread. :func:`per_thread` keeps one value per arguments, process and thread, with a bound.
"""

from __future__ import annotations

import functools
import os
import threading


def per_thread(maxsize: int = 64):
    """Decorate a function of hashable arguments: as :func:`functools.lru_cache`, with the
    process and thread ids in the key (a forked worker, or another thread, makes its own).
    ``cache_clear`` empties it."""

    def wrap(fn):
        @functools.lru_cache(maxsize=maxsize)
        def keyed(_pid, _thread, *args):
            return fn(*args)

        @functools.wraps(fn)
        def call(*args):
            return keyed(os.getpid(), threading.get_ident(), *args)

        call.cache_clear = keyed.cache_clear  # type: ignore[attr-defined]
        return call

    return wrap
