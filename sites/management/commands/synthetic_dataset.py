import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sites.synthetic import synthetic_exists, synthetic_generate, synthetic_remove

MAX_PLOTS = 2_000_000


class Command(BaseCommand):
    help = (
        "Generate N synthetic parks' plots for measurements (flagged 'synthetic-', "
        "badged demo), or remove them with --remove. See sites/synthetic.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plots", type=int, help="how many plots, e.g. 100000")
        parser.add_argument(
            "--spread",
            choices=["france", "territory"],
            default="france",
            help="synthetic communes over France (default) or the real territory's",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--remove", action="store_true", help="delete all synthetic data"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.verbosity = options["verbosity"]
        if options["remove"]:
            try:
                plots = synthetic_remove(progress=self._progress)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Removed {plots} synthetic plots ({self._since(started)})."
            )
            self._grid_build()
            return
        plots = options["plots"]
        if plots is None or not 1 <= plots <= MAX_PLOTS:
            raise CommandError(f"--plots must be between 1 and {MAX_PLOTS:,}.")
        if synthetic_exists():
            raise CommandError("Synthetic data is already there: --remove it first.")
        try:
            parks, plots = synthetic_generate(
                plots=plots,
                spread=options["spread"],
                seed=options["seed"],
                progress=self._progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Created {plots} synthetic plots in {parks} parks "
            f"({self._since(started)})."
        )
        self._grid_build()

    def _grid_build(self):
        # The map's unfiltered low zooms would otherwise count the plots live
        # until a worker rebuilt the grid (none runs while measuring).
        call_command("build_tile_grid", stdout=self.stdout)

    def _progress(self, what, count):
        if self.verbosity > 1:
            self.stderr.write(f"  {what}: {count}")

    @staticmethod
    def _since(started):
        return f"{time.monotonic() - started:.1f} s"
