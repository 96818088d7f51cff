"""CLI: ``interdiction lists import | update | show | diff`` over the versioned list store."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import click
from tqdm import tqdm

from interdiction.parties.loaders import SOURCES
from interdiction.parties.store import ImportSummary, ListDiff, ListStore, Progress
from interdiction.parties.update import BASE_URL_ENV, list_sources, update_lists

__all__ = ["register"]

_SHOWN_PROBLEMS = 5


@contextmanager
def _progress_bar(enabled: bool, what: str) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    bar = tqdm(total=0, unit=" entities", desc=what, disable=None, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()


def _report(summary: ImportSummary) -> None:
    version = summary.version
    replaced = (
        f", replacing version {summary.previous_version_id}" if summary.previous_version_id else ""
    )
    click.echo(
        f"{version.source}: version {version.version_id} ({version.label}) is now current with "
        f"{version.entity_count} entities{replaced}."
    )
    if summary.problems:
        click.echo(f"{len(summary.problems)} problem(s) reported while reading:", err=True)
        for problem in summary.problems[:_SHOWN_PROBLEMS]:
            click.echo(f"  {problem}", err=True)
        if len(summary.problems) > _SHOWN_PROBLEMS:
            click.echo(f"  ... and {len(summary.problems) - _SHOWN_PROBLEMS} more", err=True)


@click.group("lists")
def lists_group() -> None:
    """Sanctions and watch lists: import, update, show versions, diff.

    Lists live in a versioned store (lists.sqlite under INTERDICTION_HOME). Every import or
    update makes a new version; the previous one stays in force until the new one is complete.

    \b
    Example:
      interdiction lists import shared/data/sanctions/ofac/sdn-2024-05-03 --source ofac-sdn
    """


@lists_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--source",
    required=True,
    type=click.Choice(SOURCES),
    help="Which list format and store slot the files belong to.",
)
@click.option(
    "--label", help="Version label, e.g. the publication date (default: the import time)."
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Import even if more than 1% of rows are unreadable (they are still reported).",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def import_command(
    paths: tuple[Path, ...], source: str, label: str | None, allow_partial: bool, no_progress: bool
) -> None:
    """Import list files (or folders holding them) as a new version of SOURCE.

    OFAC: sdn.csv with any of alt.csv, add.csv, sdn_comments.csv (a later path wins for the same
    file name). UN: consolidated XML. UK: the ODS extract. opensanctions: FollowTheMoney JSON
    lines. watchlist: a CSV with a header naming at least `name`.

    \b
    Example:
      interdiction lists import ../shared/data/sanctions/ofac/sdn-2024-05-03 \\
          ../shared/data/sanctions/ofac/partial-2025-01/alt.csv --source ofac-sdn --label 2024-05-03
    """
    with (
        ListStore.open() as store,
        _progress_bar(not no_progress, f"importing {source}") as progress,
    ):
        summary = store.import_files(
            list(paths), source=source, label=label, allow_partial=allow_partial, progress=progress
        )
    _report(summary)


@lists_group.command("update")
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Choice(sorted(list_sources())),
    help="Update only this list (repeatable). Default: every list with an official address.",
)
@click.option(
    "--url",
    "base_url",
    help=f"Fetch the files from this base URL instead of the official one (also: env {BASE_URL_ENV}).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Import even if the new list has far fewer entities than the one in force.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def update_command(
    sources: tuple[str, ...], base_url: str | None, force: bool, no_progress: bool
) -> None:
    """Download the official list files, verify them, and swap them in atomically.

    A download that fails, is truncated, or holds far fewer entities than the version in force
    is refused; that list's current version stays in force.

    \b
    Example:
      interdiction lists update --source ofac-sdn
    """
    with ListStore.open() as store, _progress_bar(not no_progress, "importing") as progress:
        results = update_lists(
            sources=list(sources) or None,
            base_url=base_url,
            store=store,
            force=force,
            progress=progress,
            on_download=lambda url: click.echo(f"downloading {url}", err=True),
        )
    for result in results:
        _report(result.summary)


@lists_group.command("show")
@click.option("--source", type=click.Choice(SOURCES), help="Only this list.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def show_command(source: str | None, fmt: str) -> None:
    """Show each list's versions: id, label, import date, entity count; * marks the one in force.

    \b
    Example:
      interdiction lists show --source ofac-sdn
    """
    with ListStore.open() as store:
        versions = store.versions(source)
    if fmt == "json":
        for version in versions:
            click.echo(json.dumps(asdict(version), ensure_ascii=False))
        return
    if not versions:
        click.echo(
            "no lists imported yet; run `interdiction lists import` or `interdiction lists update`."
        )
        return
    rows = [("", "source", "version", "label", "imported_at", "entities", "problems")]
    rows += [
        (
            "*" if v.current else "",
            v.source,
            str(v.version_id),
            v.label[:40],
            v.imported_at,
            str(v.entity_count),
            str(v.problem_count),
        )
        for v in versions
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _diff_rows(diff: ListDiff) -> Iterator[dict[str, str]]:
    for status, refs in (("added", diff.added), ("removed", diff.removed)):
        for ref in refs:
            yield {
                "status": status,
                "entity_id": ref.entity_id,
                "name": ref.primary_name,
                "kind": ref.kind,
                "programs": ";".join(ref.programs),
                "changes": "",
            }
    for change in diff.changed:
        ref = change.entity
        detail = "; ".join(
            f"{c.field}: -[{' | '.join(c.removed)}] +[{' | '.join(c.added)}]"
            for c in change.changes
        )
        yield {
            "status": "changed",
            "entity_id": ref.entity_id,
            "name": ref.primary_name,
            "kind": ref.kind,
            "programs": ";".join(ref.programs),
            "changes": detail,
        }


@lists_group.command("diff")
@click.argument("version_a", type=int)
@click.argument("version_b", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table: a summary and one line per entity; json: one object; csv: one row per entity.",
)
def diff_command(version_a: int, version_b: int, fmt: str) -> None:
    """Entities added, removed and changed from VERSION_A to VERSION_B (ids from `lists show`).

    Keyed on the list's own id (OFAC ent_num): the people to re-screen.

    \b
    Example:
      interdiction lists diff 1 2 --format csv > changes.csv
    """
    with ListStore.open() as store:
        diff = store.diff(version_a, version_b)
    if fmt == "json":
        click.echo(json.dumps(asdict(diff), ensure_ascii=False, indent=1))
        return
    rows = list(_diff_rows(diff))
    if fmt == "csv":
        writer = csv.DictWriter(
            sys.stdout,
            fieldnames=["status", "entity_id", "name", "kind", "programs", "changes"],
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
        return
    click.echo(
        f"version {version_a} -> {version_b}: {len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    )
    for row in rows:
        line = f"{row['status']:<8} {row['entity_id']:<10} {row['name']}  [{row['programs']}]"
        click.echo(line + (f"\n         {row['changes']}" if row["changes"] else ""))


def register(group: click.Group) -> None:
    """Add the ``lists`` group to the root group."""
    group.add_command(lists_group)
