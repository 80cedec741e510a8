"""The promoter's claims against the estimate: consistent, optimistic, or not verifiable.

A claim is *consistent* when it falls within the estimate's low-high range,
*optimistic* when it lies outside on the side that flatters the project (a lower
PUE, a larger saving), *cautious* when it lies outside on the other side, and
*not verifiable* when the estimate is unknown or merely repeats the claim.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Indicators where a larger value flatters the project; for all others, smaller does.
HIGHER_IS_BETTER = {"cooling_saving_share", "cooling_share_free", "cooling_share_water",
                    "heat_reuse_potential_homes"}

#: A claim on the PUE is checked against the hourly model when it ran: the
#: annual figures use the declared PUE itself.
COMPARE_WITH = {"pue": "pue_modelled"}

VERDICTS = ("consistent", "optimistic", "cautious", "not_verifiable")


@dataclass(frozen=True)
class ClaimCheck:
    indicator: str  # as claimed
    compared_with: str  # the indicator of the estimate used
    claimed: float
    source: str
    note: str | None
    low: float | None
    central: float | None
    high: float | None
    verdict: str  # one of VERDICTS
    reason: str  # a key: in_range, below_range, above_range, unknown, echoes_input


def check_claims(results) -> list[ClaimCheck]:
    """Check every claim of ``results.project`` against ``results``."""
    out = []
    for claim in results.project.claims:
        name = claim.indicator
        target = COMPARE_WITH.get(name, name)
        ind = results.indicators.get(target)
        if ind is None or not ind.known:
            target = name
            ind = results.indicators[name]
        verdict, reason = _verdict(name, claim.value, ind, results)
        out.append(ClaimCheck(name, target, claim.value, claim.source, claim.note,
                              ind.low, ind.central, ind.high, verdict, reason))
    return out


def _verdict(name: str, value: float, ind, results) -> tuple[str, str]:
    if not ind.known:
        return "not_verifiable", "unknown"
    rec = results.inputs.get(ind.name)
    if rec is not None and rec.status == "given":  # the estimate repeats the declared value
        return "not_verifiable", "echoes_input"
    # 0.5 % slack for rounding of the claimed figure.
    slack = 0.005 * max(abs(ind.low), abs(ind.high), 1e-12)
    if ind.low - slack <= value <= ind.high + slack:
        return "consistent", "in_range"
    below = value < ind.low
    flattering = (not below) if name in HIGHER_IS_BETTER else below
    return ("optimistic" if flattering else "cautious"), ("below_range" if below else "above_range")
