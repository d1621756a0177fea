"""`python -m scoring score <file> --format json`: the national population against one agency (issue 12).

    python benchmarks/bench_cli_score.py [--repeats 3] [--rounds 1]

Writes two bulk CSVs with `python -m scoring generate` (one agency; the national 3,385 agencies),
then runs the CLI on each in a fresh process, alternately, `--repeats` times, and prints the best
wall time of each side by side with their ratio (goal: national <= 3x one agency), plus the floor
of a process that only imports the CLI (what every run pays before reading a byte). The load
average is printed: the machine may be shared, compare the ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = {"one agency": Path(folder) / "one.csv", "national": Path(folder) / "national.csv"}
        run(["-m", "scoring", "generate", "--agencies", "1", "--rounds", str(args.rounds), str(files["one agency"])])
        run(["-m", "scoring", "generate", "--rounds", str(args.rounds), str(files["national"])])
        print(f"scoring score --format json, {args.rounds} round(s), best of {args.repeats}; "
              f"load average {os.getloadavg()}")
        best: dict[str, float] = {}
        for _ in range(args.repeats):
            best["import only"] = min(best.get("import only", 1e9), run(["-c", "import scoring.cli"]))
            for label, path in files.items():
                seconds = run(["-m", "scoring", "score", str(path), "--format", "json",
                               "--output", str(path.with_suffix(".json"))])
                best[label] = min(best.get(label, 1e9), seconds)
        rows = sum(1 for _ in files["national"].open()) - 1
        print(f"{'import only s':>14}{'one agency s':>14}{'national s':>12}{'ratio':>8}   ({rows:,} answer rows)")
        print(f"{best['import only']:>14.2f}{best['one agency']:>14.2f}{best['national']:>12.2f}"
              f"{best['national'] / best['one agency']:>8.2f}")
        print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
