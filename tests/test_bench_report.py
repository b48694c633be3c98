"""bench/report.py: ratios to the bare view measured around each page, the
targets it checks, and its exit status (0 only when they are all met)."""

import json

from bench import report


def wrk_output(rps, p95, timeouts=0):
    """What bench/run keeps of a wrk run: its summary and stats.lua's lines."""
    errors = f"  Socket errors: connect 0, read 0, write 0, timeout {timeouts}\n"
    return (
        "Running 10s test @ http://127.0.0.1/\n"
        f"{errors if timeouts else ''}Requests/sec:   {rps:.2f}\n"
        f"bench-p50-ms 1.000\nbench-p95-ms {p95:.3f}\nbench-p99-ms {p95 * 2:.3f}\n"
    )


def results(tmp_path, runs, timeouts=0):
    """`runs`: (phase, name, rps, p95, bytes) or (phase, name, status)."""
    lines = []
    for i, run in enumerate(runs):
        phase, name, *rest = run
        if len(rest) == 1:
            lines.append(f"{phase}\t{name}\t/x/\t{rest[0]}\t0\t-")
            continue
        rps, p95, size = rest
        path = tmp_path / f"{i}.wrk"
        path.write_text(wrk_output(rps, p95, timeouts if name != BARE else 0))
        lines.append(f"{phase}\t{name}\t/x/\t200\t{size}\t{path}")
    file = tmp_path / "results"
    file.write_text("\n".join(lines) + "\n")
    return str(file)


BARE = report.BASELINE


TILE = "tile z15, close-up (outlines)"
KIBI = 1024


def good_run(
    search_p95=8.0,
    search_bytes=40_000,
    lead_rps=(100, 120),
    tile_p95=(9.0, 2.9),
    tile_bytes=100 * KIBI,
):
    """Every target met; the tile at its size limit (100 KiB gzipped)."""
    return [
        ("miss", BARE, 1000, 2.0, 2),
        ("miss", "home", 500, 5.0, 30_000),
        ("miss", BARE, 1000, 2.0, 2),
        ("miss", "search", 200, search_p95, search_bytes),
        ("miss", BARE, 1000, 2.0, 2),
        ("miss", TILE, 300, tile_p95[0], tile_bytes),
        ("miss", BARE, 1000, 2.0, 2),
        ("hit", BARE, 1000, 2.0, 2),
        ("hit", "search", 600, 3.0, search_bytes),
        ("hit", BARE, 1200, 2.0, 2),
        ("hit", "plot", 700, 3.0, 50_000),
        ("hit", BARE, 1000, 2.0, 2),
        ("hit", TILE, 900, tile_p95[1], tile_bytes),
        ("hit", BARE, 1000, 2.0, 2),
        ("hit", report.LEAD, lead_rps[0], 90.0, 0),
        ("hit", BARE, 1000, 2.0, 2),
        ("hit", report.LEAD_BARE, lead_rps[1], 80.0, 0),
        ("hit", BARE, 1000, 2.0, 2),
    ]


def test_met_targets_exit_0_and_the_lead_posts_are_not_held_to_page_targets(
    tmp_path, capsys
):
    # The POSTs run at a tenth of the bare view's rate: no page target for them.
    assert report.main([results(tmp_path, good_run())]) == 0
    out = capsys.readouterr().out
    assert "all met (exit 0)" in out
    assert "Lead POST: without the enqueue / with it = 1.20" in out


def test_each_page_is_compared_to_the_baselines_around_it(tmp_path):
    pages = report.with_baselines(report.runs(results(tmp_path, good_run())))
    search = next(p for p in pages if p["phase"] == "hit" and p["name"] == "search")
    assert search["base_rps"] == 1100  # the runs before (1000) and after (1200)
    assert search["x_rps"] == 600 / 1100
    home = next(p for p in pages if p["name"] == "home")
    assert home["x_p95"] == 2.5


def test_a_slow_or_heavy_search_fails(tmp_path, capsys):
    assert report.main([results(tmp_path, good_run(search_p95=10.2))]) == 1
    assert "p95 ≤ 5×: MISSED" in capsys.readouterr().out
    heavy = results(tmp_path, good_run(search_bytes=150_000))
    assert report.main([heavy]) == 1
    assert "< 150 KB: MISSED" in capsys.readouterr().out


def test_a_costly_enqueue_fails(tmp_path, capsys):
    assert report.main([results(tmp_path, good_run(lead_rps=(50, 100)))]) == 1
    assert "= 2.00 (target ≤ 1.5: MISSED)" in capsys.readouterr().out


def test_a_lead_post_finishing_nothing_fails_without_a_crash(tmp_path, capsys):
    # A short window on a busy machine: wrk counts 0 requests/s.
    assert report.main([results(tmp_path, good_run(lead_rps=(0, 100)))]) == 1
    assert "= inf (target ≤ 1.5: MISSED)" in capsys.readouterr().out


def test_a_tile_finishing_no_request_in_its_window_fails(tmp_path, capsys):
    # wrk's figures for a run where every request outlived the window.
    runs = good_run()
    runs[5] = ("miss", TILE, 0, 0.0, 800)
    assert report.main([results(tmp_path, runs)]) == 1
    out = capsys.readouterr().out
    assert "a request finished: MISSED" in out
    # Nor is it compared to an earlier run as if it were fast.
    earlier = tmp_path / "earlier.json"
    report.main([results(tmp_path, good_run()), "--save", str(earlier)])
    capsys.readouterr()
    report.main([results(tmp_path, runs), "--compare", str(earlier)])
    assert f"miss {TILE}:" not in capsys.readouterr().out


def test_a_page_not_answering_fails(tmp_path):
    runs = good_run()
    runs[3] = ("miss", "search", "500")
    assert report.main([results(tmp_path, runs)]) == 1


def test_timeouts_fail_a_checked_page(tmp_path, capsys):
    # wrk leaves timed-out requests out of its percentiles: they must not pass.
    assert report.main([results(tmp_path, good_run(), timeouts=3)]) == 1
    assert "no errors: MISSED" in capsys.readouterr().out


def test_no_baseline_fails(tmp_path):
    runs = [r for r in good_run() if r[1] != BARE]
    assert report.main([results(tmp_path, runs)]) == 1


def test_two_sizes_compared_by_their_p95_ratio(tmp_path, capsys):
    small = tmp_path / "small.json"
    assert report.main([results(tmp_path, good_run()), "--save", str(small)]) == 0
    saved = json.loads(small.read_text())["pages"]
    assert {p["name"] for p in saved} >= {"home", "search", "plot"}
    large = tmp_path / "large"
    large.mkdir()
    slow = results(large, good_run(search_p95=9.0))
    assert report.main([slow, "--compare", str(small)]) == 0
    tripled = good_run()
    tripled[1] = ("miss", "home", 500, 5.0 * 3.2, 30_000)  # 2.5× -> 8×: 3.2×
    capsys.readouterr()
    assert report.main([results(large, tripled), "--compare", str(small)]) == 1
    assert "- miss home: 3.20 (3.20 raw), target ≤ 3: MISSED" in capsys.readouterr().out


def test_tiles_are_held_to_their_targets(tmp_path, capsys):
    assert report.main([results(tmp_path, good_run())]) == 0
    out = capsys.readouterr().out
    # Built: p95 ≤ 5× the bare view; cached: ≤ 1.5×; both ≤ 100 KiB gzipped.
    assert "| miss | tile z15, close-up (outlines) | 200 | 100.0 KiB gzip |" in out
    assert "p95 ≤ 5×: met; ≤ 100 KiB gzipped: met" in out
    assert "p95 ≤ 1.5×: met; ≤ 100 KiB gzipped: met" in out


def test_a_slow_built_tile_fails(tmp_path, capsys):
    assert report.main([results(tmp_path, good_run(tile_p95=(10.2, 2.9)))]) == 1
    assert "p95 ≤ 5×: MISSED" in capsys.readouterr().out


def test_a_slow_cached_tile_fails(tmp_path, capsys):
    assert report.main([results(tmp_path, good_run(tile_p95=(9.0, 3.2)))]) == 1
    assert "p95 ≤ 1.5×: MISSED" in capsys.readouterr().out


def test_a_tile_above_100_kib_gzipped_fails(tmp_path, capsys):
    assert report.main([results(tmp_path, good_run(tile_bytes=100 * KIBI + 1))]) == 1
    assert "≤ 100 KiB gzipped: MISSED" in capsys.readouterr().out


def test_a_tile_not_answering_fails(tmp_path):
    runs = good_run()
    runs[5] = ("miss", TILE, "500")
    assert report.main([results(tmp_path, runs)]) == 1


def test_a_tile_compared_by_its_p95_ratio(tmp_path, capsys):
    small = tmp_path / "small.json"
    quick = good_run(tile_p95=(2.0, 2.9))  # the built tile as quick as the bare view
    assert report.main([results(tmp_path, quick), "--save", str(small)]) == 0
    large = tmp_path / "large"
    large.mkdir()
    # 1× → 3.5× the bare view: within the built tile's own 5×, but 3.5 times
    # what it cost on the smaller data.
    slower = results(large, good_run(tile_p95=(7.0, 2.9)))
    capsys.readouterr()
    assert report.main([slower, "--compare", str(small)]) == 1
    out = capsys.readouterr().out
    assert f"- miss {TILE}: 3.50 (3.50 raw), target ≤ 3: MISSED" in out
    assert f"- hit {TILE}: 1.00 (1.00 raw), target ≤ 3: met" in out
