"""CLI commands for parties (filled in by its domain's work)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this module's commands to the root group."""
