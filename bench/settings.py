"""Production settings, plus the benchmark's minimal view (see bench/urls.py)."""

from investinartois.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
