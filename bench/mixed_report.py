"""The checks of bench/mixed (issue 12's mixed load), apart from the running:
what counts as an error, the latency percentiles per kind of request, leads
delivered exactly once, and the web workers' memory. bench/mixed_load.py
gathers the figures; tests/test_bench_mixed.py shows each check failing.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

ERROR_RATE_MAX = 0.001  # < 0.1 % of the requests
MEMORY_GROWTH_MAX = 0.10  # < 10 % between the end of the warm-up and the end
LEAD_POST = "lead POST"
# What a request of each kind must answer: every page and tile 200 (an empty
# tile and a revalidated one too, as 204 and 304), the lead form's POST the
# redirect to its thanks page. Anything else, a timeout (0) or a refused
# connection included, is an error.
SUCCESS = {LEAD_POST: {302}}
SUCCESS_DEFAULT = {200, 204, 304}


@dataclass(frozen=True)
class Result:
    kind: str  # home, search, plot, tile, API, lead form, lead POST
    status: int  # 0: no answer (timeout, connection refused or reset)
    seconds: float  # from sending the request to the end of the response
    late: float = 0.0  # how far behind its scheduled time it was sent


def is_error(result):
    return result.status not in SUCCESS.get(result.kind, SUCCESS_DEFAULT)


def errors(results):
    """(error count, Counter of (kind, status) for the errors)."""
    bad = Counter((r.kind, r.status) for r in results if is_error(r))
    return sum(bad.values()), bad


def percentile(values, fraction):
    """The nearest-rank percentile (no interpolation) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil, at least the first
    return ordered[int(rank) - 1]


def latencies(results):
    """{kind: (count, p50 s, p95 s)}, over every request of the kind (errors
    included: a slow failure is still what the user waited)."""
    by_kind = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r.seconds)
    return {
        kind: (len(v), percentile(v, 0.50), percentile(v, 0.95))
        for kind, v in sorted(by_kind.items())
    }


def lead_problems(posted, delivered, stored):
    """What is wrong with the leads, as sentences ([] when nothing is).

    posted: {marker: True if its POST was accepted (302), False if not};
    delivered: Counter of the developers' messages per marker (the SMTP
    server's, after the queue drained); stored: {marker: (rows, statuses)}:
    the Lead rows carrying the marker and their delivery statuses with any
    anti-spam flag ("sent", "sent flagged too_fast"...).
    Every accepted lead is stored once and delivered once, unflagged; a lead
    whose POST failed may not have been saved, but if it was, it is delivered
    once too. A message for a marker never posted is a duplicate as well.
    """
    problems = [] if any(posted.values()) else ["no lead was accepted"]
    for marker, accepted in sorted(posted.items()):
        sent = delivered.get(marker, 0)
        rows, statuses = stored.get(marker, (0, []))
        if not accepted and rows == 0 and sent == 0:
            continue  # refused before it was saved: counted in the errors
        if rows != 1:
            problems.append(f"{marker}: {rows} Lead rows")
        if sent != 1:
            problems.append(f"{marker}: delivered {sent} times")
        unsent = [status for status in statuses if status != "sent"]
        if unsent:
            problems.append(f"{marker}: {', '.join(unsent)}")
    for marker in sorted(set(delivered) - set(posted)):
        problems.append(f"{marker}: delivered {delivered[marker]} times, never posted")
    return problems


def memory_problems(before, after):
    """before, after: {worker pid: RSS in bytes}. A worker that disappeared
    (killed by gunicorn's timeout, or crashed) is a problem: its growth was
    not measured and its requests failed."""
    problems = []
    if not before:
        problems.append("no web worker found after the warm-up")
    for pid, rss in sorted(before.items()):
        if pid not in after:
            problems.append(f"worker {pid} was replaced during the run")
        elif after[pid] > rss * (1 + MEMORY_GROWTH_MAX):
            growth = after[pid] / rss - 1
            problems.append(
                f"worker {pid}: {mib(rss)} -> {mib(after[pid])} MiB (+{growth:.1%})"
            )
    return problems


def mib(size):
    return f"{size / 2**20:.1f}"


def verdict(results, lead_issues, memory_issues):
    """(lines to print, exit status: 0 only when every check passes)."""
    lines = []
    total = len(results)
    count, bad = errors(results)
    rate = count / total if total else 1.0
    ok_errors = total > 0 and rate < ERROR_RATE_MAX
    detail = ", ".join(
        f"{k} {s or 'timeout'}: {n}" for (k, s), n in sorted(bad.items())
    )
    lines.append(
        f"{'PASS' if ok_errors else 'FAIL'} errors: {count} of {total} requests "
        f"({rate:.3%}, target < {ERROR_RATE_MAX:.1%}){': ' + detail if detail else ''}"
    )
    lines.append(
        f"{'FAIL' if lead_issues else 'PASS'} leads delivered exactly once"
        + (": " + "; ".join(lead_issues[:10]) if lead_issues else "")
        + (f" (and {len(lead_issues) - 10} more)" if len(lead_issues) > 10 else "")
    )
    lines.append(
        f"{'FAIL' if memory_issues else 'PASS'} web worker memory growth "
        f"< {MEMORY_GROWTH_MAX:.0%}"
        + (": " + "; ".join(memory_issues) if memory_issues else "")
    )
    passed = ok_errors and not lead_issues and not memory_issues
    return lines, 0 if passed else 1
