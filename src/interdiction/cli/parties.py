"""CLI: `interdiction parties search` and `interdiction parties screen`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from tqdm import tqdm

from interdiction.parties.matcher import DEFAULT_THRESHOLD
from interdiction.parties.screen import load_matcher, screen_csv

__all__ = ["register"]


@click.group("parties")
def parties_group() -> None:
    """Screen trading-party names against sanctions and watch lists.

    Uses the lists imported with `interdiction lists import`; before any import, the bundled
    sample (OFAC fentanyl-related entries and indicted PRC chemical firms).

    \b
    Example:
      interdiction parties search "上海慈顺精细化工有限公司"
    """


@parties_group.command("search")
@click.argument("name", default="")
@click.option("--country", help="Country code or name tied to the party, e.g. MX or China.")
@click.option("--dob", help="Date or year of birth of a person, e.g. 1990 or 1990-05-01.")
@click.option(
    "--id",
    "identifiers",
    multiple=True,
    help="Identifier known for the party (USCC, RFC, CURP, passport, e-mail, phone); repeatable.",
)
@click.option("--limit", default=10, show_default=True, help="Most candidates shown.")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help=f"Lowest score shown (default {DEFAULT_THRESHOLD}).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)
def search_command(
    name: str,
    country: str | None,
    dob: str | None,
    identifiers: tuple[str, ...],
    limit: int,
    threshold: float | None,
    output_format: str,
) -> None:
    """Find listed parties matching NAME (any script), best first, each with its reasons.

    \b
    Examples:
      interdiction parties search "Shanghai Cishun Fine Chem Co Ltd"
      interdiction parties search "Guzman Lopez, Ovidio" --country MX --dob 1990
      interdiction parties search --id 91130104MA09YL9T2W --format json
    """
    matcher, lists = load_matcher()
    found = matcher.search(
        name,
        country=country,
        dob=dob,
        identifiers=identifiers,
        limit=limit,
        threshold=threshold,
    )
    if output_format == "json":
        payload = {
            "query": name,
            "lists": lists.description,
            "threshold": DEFAULT_THRESHOLD if threshold is None else threshold,
            "matches": [
                {
                    "score": m.score,
                    "list": m.source,
                    "entity_id": m.entity_id,
                    "matched_name": m.matched_name,
                    "primary_name": m.primary_name,
                    "programs": list(m.programs),
                    "explanation": m.explanation,
                }
                for m in found
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"Lists: {lists.description}")
    if not found:
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        click.echo(f"No listed party scores {cutoff} or more for {name!r}.")
        return
    name_width = min(60, max(len("listed name"), *(len(m.primary_name) for m in found)))
    click.echo(
        f"{'#':>2}  {'score':>5}  {'list':<10} {'id':>8}  {'listed name':<{name_width}}  programs"
    )
    for rank, m in enumerate(found, start=1):
        click.echo(
            f"{rank:>2}  {m.score:5.3f}  {m.source:<10} {m.entity_id:>8}  "
            f"{m.primary_name[:name_width]:<{name_width}}  {', '.join(m.programs)}"
        )
        if m.matched_name != m.primary_name:
            click.echo(f"{'':>20}matched: {m.matched_name}")
        click.echo(f"{'':>20}why: {m.explanation}")


@parties_group.command("screen")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV file with a header row.",
)
@click.option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV written: one row per input row, in order.",
)
@click.option("--name-column", default="name", show_default=True, help="Column of party names.")
@click.option("--country-column", default=None, help="Column of countries (code or name).")
@click.option("--dob-column", default=None, help="Column of dates or years of birth.")
@click.option("--id-column", default=None, help="Column of identifiers, several split by ; or |.")
@click.option(
    "--all-candidates",
    is_flag=True,
    help="Long form: one output row per candidate instead of the best one.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help=f"Lowest score reported (default {DEFAULT_THRESHOLD}).",
)
@click.option("--limit", default=10, show_default=True, help="Most candidates per row.")
@click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")
def screen_command(
    input_path: Path,
    output_path: Path,
    name_column: str,
    country_column: str | None,
    dob_column: str | None,
    id_column: str | None,
    all_candidates: bool,
    threshold: float | None,
    limit: int,
    no_progress: bool,
) -> None:
    """Screen every party of a CSV; write row, query, best_score, best_list, best_entity_id,
    best_name, n_candidates, explanation (and error) per input row.

    \b
    Example:
      interdiction parties screen --input parties.csv --name-column name --output hits.csv
    """
    matcher, lists = load_matcher()
    click.echo(f"Lists: {lists.description}", err=True)
    bar = tqdm(
        unit=" rows", desc="screening", disable=True if no_progress else None, file=sys.stderr
    )
    try:
        summary = screen_csv(
            input_path,
            output_path,
            name_column=name_column,
            country_column=country_column,
            dob_column=dob_column,
            id_column=id_column,
            all_candidates=all_candidates,
            threshold=threshold,
            limit=limit,
            matcher=matcher,
            lists=lists,
            progress=lambda done: bar.update(1),
        )
    finally:
        bar.close()
    click.echo(
        f"{summary.rows} rows screened, {summary.with_match} with a match, "
        f"{summary.errors} errors; written to {output_path}",
        err=True,
    )


def register(group: click.Group) -> None:
    """Add the `parties` group to the root group."""
    group.add_command(parties_group)
