"""bench/mixed_report.py: what bench/mixed counts as an error, a lead not
delivered exactly once and a web worker's memory growth, and its exit status
(0 only when every check passes)."""

from collections import Counter

from bench import mixed_report as report
from bench.mixed_report import LEAD_POST, Result

MIB = 2**20


def load(errors=0, total=10_000, kind="search", status=500):
    good = [Result("plot", 200, 0.05) for _ in range(total - errors)]
    return good + [Result(kind, status, 0.5) for _ in range(errors)]


def leads(count=3):
    markers = [f"mixed-abc-{n}" for n in range(count)]
    posted = dict.fromkeys(markers, True)
    return posted, Counter(markers), {m: (1, ["sent"]) for m in markers}


def test_a_clean_run_passes():
    lines, status = report.verdict(load(errors=9), [], [])
    assert status == 0
    assert lines[0].startswith("PASS errors: 9 of 10000 requests (0.090%")


def test_one_error_in_a_thousand_fails():
    lines, status = report.verdict(load(errors=10), [], [])
    assert status == 1
    assert lines[0].startswith("FAIL errors: 10 of 10000")
    assert "search 500: 10" in lines[0]


def test_what_counts_as_an_error():
    assert not report.is_error(Result("tile", 204, 0.01))  # an empty tile
    assert not report.is_error(Result("home", 304, 0.01))
    assert report.is_error(Result("home", 302, 0.01))  # a page must not redirect
    assert report.is_error(Result("home", 0, 30.0))  # a timeout
    assert report.is_error(Result("search", 400, 0.01))
    assert not report.is_error(Result(LEAD_POST, 302, 0.1))  # to the thanks page
    # The form shown again (invalid, or to confirm): the lead was not sent.
    assert report.is_error(Result(LEAD_POST, 200, 0.1))


def test_no_request_at_all_fails():
    assert report.verdict([], [], [])[1] == 1


def test_percentiles_per_kind_count_the_slow_failures():
    results = [Result("plot", 200, n / 100) for n in range(1, 101)]
    results.append(Result("tile", 0, 30.0))
    assert report.latencies(results) == {
        "plot": (100, 0.5, 0.95),
        "tile": (1, 30.0, 30.0),
    }


def test_leads_delivered_once_pass():
    assert report.lead_problems(*leads()) == []


def test_a_lead_delivered_twice_or_never_fails():
    posted, delivered, stored = leads()
    delivered["mixed-abc-0"] = 2
    del delivered["mixed-abc-1"]
    problems = report.lead_problems(posted, delivered, stored)
    assert problems == [
        "mixed-abc-0: delivered 2 times",
        "mixed-abc-1: delivered 0 times",
    ]
    assert report.verdict(load(), problems, [])[1] == 1


def test_an_accepted_lead_must_be_stored_once_and_unflagged():
    posted, delivered, stored = leads()
    stored["mixed-abc-0"] = (2, ["sent", "sent"])
    stored["mixed-abc-1"] = (1, ["sent flagged too_fast"])
    del stored["mixed-abc-2"]
    assert report.lead_problems(posted, delivered, stored) == [
        "mixed-abc-0: 2 Lead rows",
        "mixed-abc-1: sent flagged too_fast",
        "mixed-abc-2: 0 Lead rows",
    ]


def test_a_refused_post_is_an_error_not_a_lost_lead_unless_saved():
    posted, delivered, stored = leads()
    posted["mixed-abc-3"] = False  # e.g. a timeout: never saved, never sent
    assert report.lead_problems(posted, delivered, stored) == []
    posted["mixed-abc-4"] = False  # saved after all (the client gave up): sent once
    stored["mixed-abc-4"] = (1, ["pending"])
    assert report.lead_problems(posted, delivered, stored) == [
        "mixed-abc-4: delivered 0 times",
        "mixed-abc-4: pending",
    ]


def test_a_run_without_any_accepted_lead_fails():
    posted = {"mixed-abc-0": False}
    assert report.lead_problems(posted, Counter(), {}) == ["no lead was accepted"]
    assert report.lead_problems({}, Counter(), {}) == ["no lead was accepted"]


def test_a_message_for_a_lead_never_posted_fails():
    posted, delivered, stored = leads()
    delivered["mixed-abc-9"] = 1
    assert report.lead_problems(posted, delivered, stored) == [
        "mixed-abc-9: delivered 1 times, never posted"
    ]


def test_memory_growth_under_ten_percent_passes():
    before = {11: 100 * MIB, 12: 120 * MIB}
    after = {11: 109 * MIB, 12: 100 * MIB}
    assert report.memory_problems(before, after) == []


def test_memory_growth_of_ten_percent_fails():
    problems = report.memory_problems({11: 100 * MIB}, {11: 111 * MIB})
    assert problems == ["worker 11: 100.0 -> 111.0 MiB (+11.0%)"]
    assert report.verdict(load(), [], problems)[1] == 1


def test_a_replaced_worker_or_none_fails():
    assert report.memory_problems({11: MIB}, {12: MIB}) == [
        "worker 11 was replaced during the run"
    ]
    assert report.memory_problems({}, {}) == ["no web worker found after the warm-up"]
