"""The batch keeps one copy of the texts its sites' results repeat (impact.batch._SharedTexts):
after sharing, two sites' equal texts are the same object, and every field keeps its value."""

from __future__ import annotations

import copy
import pickle

from impact.batch import _SharedTexts
from impact.engine import estimate
from impact.project import load_project


def _fields(results) -> dict:
    return {
        "indicators": {n: (i.method, i.sources, i.note, i.central, i.status) for n, i in results.indicators.items()},
        "inputs": {n: (r.source, r.note, r.status) for n, r in results.inputs.items()},
    }


def test_equal_texts_become_one_object_and_keep_their_values():
    first = estimate(load_project("data/projects/mrs5.yaml"), draws=100, seed=1)
    # A worker's result arrives pickled: every string is a copy of its own.
    second = pickle.loads(pickle.dumps(first))
    before = copy.deepcopy(_fields(second))
    texts = _SharedTexts()
    texts.share(first)
    texts.share(second)
    assert _fields(second) == before  # values unchanged
    shared = [n for n, i in second.indicators.items() if i.method]
    assert shared, "MRS5's indicators name their methods"
    for n in shared:
        assert second.indicators[n].method is first.indicators[n].method
        assert second.indicators[n].sources is first.indicators[n].sources
    for n, r in second.inputs.items():
        if r.source:
            assert r.source is first.inputs[n].source
