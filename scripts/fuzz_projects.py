"""The long fuzz run of issue 11: many mutated projects, each loaded and estimated as a user would.

    .venv/bin/python scripts/fuzz_projects.py --count 10000 [--seed 0] [--failures out/fuzz]

Each project comes from :func:`tests.fuzzing.mutate` seeded with ``seed + i`` (so any failure
is replayed by its number), and goes through :func:`tests.fuzzing.outcome`: YAML text, loader,
estimate, alternatives, JSON (strict), CSV, Markdown and table outputs. A project passes when it
is valid (every number finite) or refused with an InputError. Anything else (another exception,
a non-finite number, a hang longer than ``--timeout`` seconds, memory beyond ``--memory-gb``) is
a failure: counted by kind and place, its project written to ``--failures`` for replay.
Prints the figures; exits 1 when any project failed.
"""

from __future__ import annotations

import argparse
import collections
import random
import resource
import signal
import sys
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fuzzing  # noqa: E402


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang("no answer within the time limit")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--draws", type=int, default=100)
    ap.add_argument("--timeout", type=int, default=60, help="seconds per project")
    ap.add_argument("--memory-gb", type=float, default=8.0, help="address-space limit of the run")
    ap.add_argument("--failures", type=Path, help="folder to write failing projects into")
    args = ap.parse_args(argv)

    import yaml

    limit = int(args.memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _alarm)
    warnings.simplefilter("ignore")  # numpy's warnings are not failures; exceptions and non-finite numbers are
    bases = fuzzing.base_projects()
    counts: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()
    first: dict[str, int] = {}
    t0 = time.perf_counter()
    for i in range(args.count):
        rnd = random.Random(args.seed + i)
        data = fuzzing.mutate(rnd.choice(bases), rnd)
        signal.alarm(args.timeout)
        try:
            counts[fuzzing.outcome(data, draws=args.draws)] += 1
        except (Exception, Hang, MemoryError, RecursionError) as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            kind = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
            kinds[kind] += 1
            first.setdefault(kind, i)
            counts["failed"] += 1
            if args.failures:
                args.failures.mkdir(parents=True, exist_ok=True)
                (args.failures / f"fuzz-{args.seed + i}.yaml").write_text(
                    f"# {kind}: {str(exc)[:200]!r}\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8",
                )
        finally:
            signal.alarm(0)
        if (i + 1) % 1000 == 0:
            print(f"{i + 1} projects, {time.perf_counter() - t0:.0f} s: {dict(counts)}", file=sys.stderr)
    elapsed = time.perf_counter() - t0
    print(f"projects generated: {args.count} (seeds {args.seed}..{args.seed + args.count - 1}, {args.draws} draws)")
    print(f"valid (estimated, every number finite): {counts['valid']}")
    print(f"refused with an InputError: {counts['invalid']}")
    print(f"other exceptions, non-finite numbers or hangs: {counts['failed']}")
    print(f"time: {elapsed:.0f} s ({1000 * elapsed / max(args.count, 1):.0f} ms per project)")
    for kind, n in kinds.most_common():
        print(f"  {n:5d}  {kind}  (first: seed {args.seed + first[kind]})")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
