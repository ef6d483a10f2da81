"""``python -m gaio`` runs the CLI."""

from gaio.cli.app import run

run()
