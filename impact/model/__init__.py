"""The equations: pure functions, numbers in and numbers out.

Each function works on scalars, numpy arrays and pandas Series alike, does no I/O
and keeps its units in its argument names. One module per physical topic.
"""

from . import carbon, energy, equivalences, heat, uncertainty, water

__all__ = ["carbon", "energy", "equivalences", "heat", "uncertainty", "water"]
