"""The ``interdiction`` command: one group, sub-commands registered by each domain's CLI module."""

from __future__ import annotations

import sys

import click

from interdiction import __version__
from interdiction.cli import lists as lists_cli
from interdiction.cli import parties as parties_cli
from interdiction.cli import shipments as shipments_cli
from interdiction.cli import substances as substances_cli
from interdiction.errors import InterdictionError

__all__ = ["cli", "main"]


class _Group(click.Group):
    """A click group that turns our own errors into one plain line and exit code 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InterdictionError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="interdiction")
def cli() -> None:
    """Screen chemicals, trading parties and shipments against fentanyl controls.

    \b
    Examples:
      interdiction check 125541-22-2
      interdiction check --input catalog.csv --column smiles --output verdicts.csv
      interdiction parties search "Shanghai Cishun Fine Chem Co Ltd"
      interdiction screen manifest.csv --out results/
    """


substances_cli.register(cli)
lists_cli.register(cli)
parties_cli.register(cli)
shipments_cli.register(cli)


def main() -> None:
    """Entry point for ``python -m interdiction``."""
    cli()
