"""Property: a mutated valid project never raises anything but InputError, and every number
out is finite (issue 11). The longer run, 10,000+ projects: ``scripts/fuzz_projects.py``."""

import random

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from . import fuzzing  # noqa: E402

BASES = fuzzing.base_projects()


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(base=st.sampled_from(BASES), rnd=st.randoms(use_true_random=False))
def test_mutated_projects_raise_only_input_errors_and_give_finite_numbers(base, rnd):
    assert fuzzing.outcome(fuzzing.mutate(base, rnd)) in ("valid", "invalid")


def test_the_mutations_reach_the_model():
    """A fuzz that only produced invalid files would test the validator alone: here at least a
    quarter of a seeded sample is valid (the weights of :func:`fuzzing.mutate` aim at half)."""
    outcomes = [fuzzing.outcome(fuzzing.mutate(random.Random(i).choice(BASES), random.Random(i))) for i in range(60)]
    assert outcomes.count("valid") >= 15, outcomes.count("valid")
    assert outcomes.count("invalid") >= 10, outcomes.count("invalid")
