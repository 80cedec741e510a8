"""Benchmarks: print wall times as figures (``make bench``). Not a test: nothing here fails."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"


def wall(fn, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main() -> None:
    import impact

    print(f"impact {impact.__version__}, Python {sys.version.split()[0]}")
    cli = [sys.executable, "-m", "impact", "estimate", str(MRS5)]
    med, best = wall(lambda: subprocess.run(cli, check=True, capture_output=True))
    print(f"impact estimate mrs5.yaml (whole command)       median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")
    help_cmd = [sys.executable, "-m", "impact", "--help"]
    med, best = wall(lambda: subprocess.run(help_cmd, check=True, capture_output=True))
    print(f"impact --help                                   median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")

    project = impact.load_project(MRS5)
    impact.estimate(project)  # warm caches (reference tables)
    med, best = wall(lambda: impact.estimate(project, draws=2000), repeat=20)
    print(f"model alone, 2,000 draws                        median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
