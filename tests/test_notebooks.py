"""The analysts' notebooks run top to bottom on a real Jupyter kernel, and are stored clean.

Each notebook is executed with nbclient on the ``python3`` kernel (ipykernel of the
running Python), from the repository root, with the repository on PYTHONPATH: the
kernel imports this checkout's ``impact`` (in CI, the editable install of the same
clone). Stored notebooks must carry no outputs (``python scripts/clear_notebooks.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 300


def test_the_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == ["01-mrs5.ipynb", "02-marseille-cumulative.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; run python scripts/clear_notebooks.py"


@pytest.fixture
def kernel_env(monkeypatch):
    """The kernel inherits this environment: the checkout first on its path, no GUI backend."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_without_errors(path, kernel_env):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import impact, pathlib; print(pathlib.Path(impact.__file__).resolve().parent.parent)"
        )
    )
    client = nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(ROOT)}}
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:  # names the cell and the traceback
        pytest.fail(f"{path.name}: {exc}")
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    # The kernel imported this checkout's package, and the figures were drawn as images.
    where = "".join(o.get("text", "") for o in code[-1].outputs).strip()
    assert Path(where) == ROOT, f"the kernel imported impact from {where}, not {ROOT}"
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs), f"{path.name}: no figure shown"
