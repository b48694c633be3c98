"""Turn bench/run's wrk outputs into one table of ratios to the bare Django view,
check the targets, and exit 0 only when every checked target is met.

Usage: report.py RESULTS [--save SUMMARY.json] [--compare EARLIER.json]

RESULTS has one tab-separated line per wrk run: phase ("miss": page cache off,
"hit": on), name, path, HTTP status, response bytes, and the wrk output file
("-" if not measured); a tile's bytes are what was sent gzipped. Runs named
BASELINE are the bare Django view; each
other run is compared to the mean of the baseline runs just before and just
after it in the same phase. --compare checks the p95 ratio between this run
and an earlier one (10,000 plots against a million: at most COMPARED_P95).
"""

import argparse
import json
import math
import re
import sys
from pathlib import Path
from statistics import mean

BASELINE = "bare Django view"
KIB = 1000  # the "150 KB" of HTML is in thousands of bytes
KIBI = 1024  # and its tiles' "100 KiB" in binary kilobytes
LEAD, LEAD_BARE = "lead form POST", "lead form POST without enqueue"
# (phase, page) -> what it must meet, from docs/performance.md and issue 12.
TARGETS = {
    ("miss", "home"): {"p95": 3.0},
    ("miss", "search"): {"p95": 5.0, "bytes": 150 * KIB},
    ("hit", "home"): {"rps": 0.3},
    ("hit", "search"): {"rps": 0.5},
    ("hit", "plot"): {"rps": 0.5},
    ("hit", "map API"): {"rps": 0.3},
}
# Every row whose name starts with TILE (bench/tile_paths.py names them), by
# phase: built (page cache off) or cached, and never above 100 KiB gzipped.
TILE = "tile"
TILE_TARGETS = {
    "miss": {"p95": 5.0, "gzip": 100 * KIBI},
    "hit": {"p95": 1.5, "gzip": 100 * KIBI},
}
LEAD_ENQUEUE_COST = 1.5  # req/s without the enqueue / with it, at most
COMPARED_P95 = 3.0


def parse_wrk(text):
    """Requests/s, {percentile: ms} and a note on errors, from wrk's output
    with bench/stats.lua's lines."""
    rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M).group(1))
    percentiles = {
        int(p): float(ms)
        for p, ms in re.findall(r"^bench-p(\d+)-ms ([\d.]+)", text, re.M)
    }
    notes = [
        line.strip()
        for line in text.splitlines()
        if line.strip().startswith(("Non-2xx", "Socket errors"))
    ]
    return rps, percentiles, "; ".join(notes)


def failed_requests(notes):
    """Non-2xx/3xx responses and socket errors (timeouts among them) wrk saw."""
    return sum(
        int(n)
        for n in re.findall(r"(?:responses|connect|read|write|timeout):? (\d+)", notes)
    )


def runs(results_file):
    rows = []
    for line in Path(results_file).read_text().splitlines():
        phase, name, path, status, size, wrk_file = line.split("\t")
        row = {"phase": phase, "name": name, "path": path, "status": status}
        row["bytes"] = int(size or 0)
        if wrk_file != "-":
            rps, percentiles, notes = parse_wrk(Path(wrk_file).read_text())
            row |= {"rps": rps, "p50": percentiles[50], "p95": percentiles[95]}
            row |= {"p99": percentiles[99], "notes": notes}
        rows.append(row)
    return rows


def with_baselines(rows):
    """Each page's run with the baseline runs on either side of it."""
    pages = []
    for i, row in enumerate(rows):
        if row["name"] == BASELINE:
            continue
        same = [
            (j, r)
            for j, r in enumerate(rows)
            if r["phase"] == row["phase"] and r["name"] == BASELINE and "rps" in r
        ]
        before = [r for j, r in same if j < i][-1:]
        after = [r for j, r in same if j > i][:1]
        around = before + after
        # No request finished in the window (each took longer): no ratio,
        # and no target can be met (a p95 of 0 would look fast).
        if around and row.get("rps"):
            row["base_rps"] = mean(r["rps"] for r in around)
            row["base_p95"] = mean(r["p95"] for r in around)
            row["x_rps"] = row["rps"] / row["base_rps"]
            row["x_p95"] = row["p95"] / row["base_p95"]
        pages.append(row)
    return pages


def checked(row):
    """Each target of this row: (what, met)."""
    target = TARGETS.get((row["phase"], row["name"]), {})
    if row["name"].startswith(TILE):
        target = TILE_TARGETS.get(row["phase"], {})
    if target and "x_rps" not in row:
        finished = row.get("rps", 1)  # 0: wrk saw no request finish
        return [("measured" if finished else "a request finished", False)]
    found = []
    if target:  # a page that fails or times out meets nothing
        found.append(("no errors", not failed_requests(row["notes"])))
    if "p95" in target:
        found.append((f"p95 ≤ {target['p95']:g}×", row["x_p95"] <= target["p95"]))
    if "rps" in target:
        found.append((f"req/s ≥ {target['rps']:g}×", row["x_rps"] >= target["rps"]))
    if "bytes" in target:
        limit = target["bytes"] // KIB
        found.append((f"< {limit} KB", row["bytes"] < target["bytes"]))
    if "gzip" in target:
        limit = target["gzip"] // KIBI
        found.append((f"≤ {limit} KiB gzipped", row["bytes"] <= target["gzip"]))
    return found


def lead_check(pages):
    found = {r["name"]: r for r in pages if r["phase"] == "hit" and "rps" in r}
    if LEAD not in found or LEAD_BARE not in found:
        return None
    if not found[LEAD]["rps"]:  # no POST finished in the window: not met
        return math.inf, False
    cost = found[LEAD_BARE]["rps"] / found[LEAD]["rps"]
    return cost, cost <= LEAD_ENQUEUE_COST


def compared(pages, earlier_file):
    """(phase, name, p95 × bare here / there, raw p95 here / there) of each
    page measured in both runs."""
    earlier = {
        (r["phase"], r["name"]): r
        for r in json.loads(Path(earlier_file).read_text())["pages"]
        if "x_p95" in r
    }
    return [
        (
            r["phase"],
            r["name"],
            r["x_p95"] / earlier[r["phase"], r["name"]]["x_p95"],
            r["p95"] / earlier[r["phase"], r["name"]]["p95"],
        )
        for r in pages
        if "x_p95" in r and (r["phase"], r["name"]) in earlier
    ]


def table(pages):
    out = [
        "| cache | page | status | KB | req/s | × bare | p95 ms | × bare "
        "| p99 ms | targets |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in pages:
        targets = "; ".join(
            f"{what}: {'met' if met else 'MISSED'}" for what, met in checked(r)
        )
        notes = "; ".join(filter(None, [targets, r.get("notes", "")]))
        size = f"{r['bytes'] / KIB:.1f}"
        if r["name"].startswith(TILE):
            size = f"{r['bytes'] / KIBI:.1f} KiB gzip"
        if "x_rps" not in r:
            out.append(
                f"| {r['phase']} | {r['name']} `{r['path']}` | {r['status']} "
                f"| {size} | not measured | | | | | {notes} |"
            )
            continue
        out.append(
            f"| {r['phase']} | {r['name']} | {r['status']} | {size} "
            f"| {r['rps']:.0f} | {r['x_rps']:.2f} | {r['p95']:.1f} "
            f"| {r['x_p95']:.1f} | {r['p99']:.1f} | {notes} |"
        )
    return out


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--save")
    parser.add_argument("--compare")
    args = parser.parse_args(argv)
    rows = runs(args.results)
    pages = with_baselines(rows)
    bare = [r for r in rows if r["name"] == BASELINE and "rps" in r]
    out = table(pages)
    failed = not bare or any(not met for r in pages for _, met in checked(r))
    out.append("")
    if bare:
        rps = [r["rps"] for r in bare]
        out.append(
            f"Bare Django view: {len(bare)} runs, {min(rps):.0f} to {max(rps):.0f} "
            f"req/s, p95 {min(r['p95'] for r in bare):.1f} to "
            f"{max(r['p95'] for r in bare):.1f} ms."
        )
    else:
        out.append("The bare Django view was not measured: no ratio can be given.")
    lead = lead_check(pages)
    if lead:
        cost, met = lead
        failed |= not met
        out.append(
            f"Lead POST: without the enqueue / with it = {cost:.2f} "
            f"(target ≤ {LEAD_ENQUEUE_COST}: {'met' if met else 'MISSED'})."
        )
    if args.compare:
        out += ["", f"Against {args.compare}: p95 ratio (× bare), raw p95 ratio"]
        for phase, name, ratio, raw in compared(pages, args.compare):
            met = ratio <= COMPARED_P95
            failed |= not met
            out.append(
                f"- {phase} {name}: {ratio:.2f} ({raw:.2f} raw), target ≤ "
                f"{COMPARED_P95:g}: {'met' if met else 'MISSED'}"
            )
    if args.save:
        Path(args.save).write_text(json.dumps({"pages": pages}, indent=1))
    out.append(f"Targets: {'MISSED (exit 1)' if failed else 'all met (exit 0)'}.")
    sys.stdout.write("\n".join(out) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
