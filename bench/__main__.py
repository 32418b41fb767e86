"""Every benchmark, one after the other, at a size that fits a 2-core machine.

    python -m bench [--quick] [--only NAME ...] [--list]

Each runs in its own process, exactly as `python -m bench.<name> ARGS` would, and writes its
section of `bench/RESULTS.md`; this writes the machine section at the top. `--quick` runs small
sizes (a smoke run, minutes); without it, the sizes below (about half an hour).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench.machine import write_header

# name: (arguments for the full run, arguments for --quick)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "trending_throughput": ([], ["--quick"]),
    "mixed_load": ([], ["--quick"]),
    "rating_writes": ([], ["--quick"]),
    "two_processes": ([], ["--quick"]),
    "rate_limit": ([], ["--hits", "500"]),
    "tmdb_sync": ([], ["--pages", "40"]),
    "catalogue": ([], ["--movies", "20000", "--runs", "50"]),
    "recommendations_quality": ([], []),
    # 1 M ratings build a model in about a minute here; the default sizes fit the machine.
    "recommendations_speed": (
        [],
        ["--movies", "5000", "--users", "2000", "--ratings", "100000", "--requests", "50"],
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), metavar="NAME")
    parser.add_argument("--list", action="store_true", help="print the benchmarks' names")
    args = parser.parse_args()
    if args.list:
        print("\n".join(BENCHMARKS))
        return 0
    chosen = args.only or list(BENCHMARKS)
    write_header(" ".join(["python -m bench", *sys.argv[1:]]))
    failed = []
    for name in chosen:
        arguments = BENCHMARKS[name][1 if args.quick else 0]
        print(f"== bench.{name} {' '.join(arguments)}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", f"bench.{name}", *arguments], check=False)
        print(f"== bench.{name}: exit {done.returncode} in {time.perf_counter() - started:.0f} s")
        if done.returncode:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
