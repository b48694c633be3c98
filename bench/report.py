"""Turn bench/run's wrk outputs into one table of ratios to the minimal view.

Usage: report.py RESULTS, where RESULTS has one tab-separated line per page:
name, path, HTTP status, and the wrk --latency output file ("-" if not measured).
The first line is the minimal view. Exit status 1 if a measured page is below
TARGET times the minimal view's throughput, or if the minimal view was not measured.
"""

import re
import sys
from pathlib import Path

TARGET = 0.3
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(text):
    """Requests/s, p99 in ms and a note on errors, from `wrk --latency` output."""
    rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M).group(1))
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M).groups()
    notes = [
        line.strip()
        for line in text.splitlines()
        if line.strip().startswith(("Non-2xx", "Socket errors"))
    ]
    return rps, float(value) * UNITS[unit], "; ".join(notes)


def main(results_file):
    rows = [line.split("\t") for line in Path(results_file).read_text().splitlines()]
    out = [
        "| page | path | status | req/s | × minimal | p99 ms | × minimal | |",
        "|---|---|---|--:|--:|--:|--:|---|",
    ]
    base = None
    failed = False
    for name, path, status, wrk_file in rows:
        if wrk_file == "-":
            out.append(f"| {name} | `{path}` | {status} | not measured | | | | |")
            failed |= base is None
            continue
        rps, p99, notes = parse_wrk(Path(wrk_file).read_text())
        base = base or (rps, p99)
        ratio = rps / base[0]
        flag = f"below {TARGET}×" if ratio < TARGET else ""
        failed |= bool(flag)
        flag = "; ".join(filter(None, [flag, notes]))
        out.append(
            f"| {name} | `{path}` | {status} | {rps:.0f} | {ratio:.2f} "
            f"| {p99:.1f} | {p99 / base[1]:.1f} | {flag} |"
        )
    sys.stdout.write("\n".join(out) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
