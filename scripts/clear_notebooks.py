"""Strip outputs and execution counts from the notebooks before committing them.

    python scripts/clear_notebooks.py              # every notebooks/*.ipynb
    python scripts/clear_notebooks.py my.ipynb     # some of them

tests/test_notebooks.py fails on a stored notebook that has outputs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def clear(path: Path) -> bool:
    """Clear ``path`` in place; True if it changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.outputs or cell.execution_count is not None:
            changed = True
        cell.outputs = []
        cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled"):
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        print(("cleared " if clear(p) else "clean   ") + str(p))
