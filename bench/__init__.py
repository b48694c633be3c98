"""Load benchmark of the portal: run it with bench/run (see docs/performance.md)."""
