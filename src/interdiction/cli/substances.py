"""CLI: ``interdiction check`` and ``interdiction substances history``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import IO

import click
from tqdm import tqdm

from interdiction.errors import InputError
from interdiction.substances import history as history_mod
from interdiction.substances.batch import DEFAULT_TIME_LIMIT_S, screen_batch
from interdiction.substances.draw import verdict_svg
from interdiction.substances.model import SubstanceVerdict
from interdiction.substances.output import (
    format_table,
    verdict_json,
    write_csv,
    write_jsonl,
)
from interdiction.substances.readers import read_inputs
from interdiction.substances.report import BatchReport
from interdiction.substances.screen import check as check_one

__all__ = ["register"]


def _parse_date(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2019-01-01"
        ) from exc


@click.command("check")
@click.argument("query", required=False)
@click.option(
    "--input",
    "input_path",
    type=click.Path(path_type=Path),
    help="Batch: a .csv/.tsv/.smi/.txt/.sdf/.parquet file (optionally .gz).",
)
@click.option(
    "--column",
    help="Batch: the column holding the inputs (default: smiles/input/structure/cas/name, else the first).",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Batch: write verdicts here (.csv or .jsonl); default: standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default=None,
    help="Output format (default: table for one query, csv for a batch).",
)
@click.option(
    "--as-of",
    "as_of",
    callback=_parse_date,
    help="Apply the law as it stood on this date (YYYY-MM-DD). Default: today.",
)
@click.option(
    "--svg",
    "svg_dir",
    type=click.Path(path_type=Path),
    help="Write the structure, matched regions highlighted, as SVG into this folder.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Batch: write an HTML report (counts, chart, flagged structures drawn).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Batch: worker processes.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(0.1),
    default=DEFAULT_TIME_LIMIT_S,
    show_default=True,
    help="Batch: seconds before one structure is given up as pathological.",
)
@click.option(
    "--identifiers",
    is_flag=True,
    help="Fill smiles and inchikey on every row, not only on listed or flagged ones.",
)
@click.option("--no-progress", is_flag=True, help="Batch: no progress bar.")
def check_command(
    query: str | None,
    input_path: Path | None,
    column: str | None,
    output: Path | None,
    fmt: str | None,
    as_of: date | None,
    svg_dir: Path | None,
    report_path: Path | None,
    jobs: int,
    time_limit: float,
    identifiers: bool,
    no_progress: bool,
) -> None:
    """Is this structure, name or CAS number controlled, where, since when, and why?

    QUERY may be a SMILES, an InChI, a CAS number (check digit tested), a name or synonym in
    English, Chinese or Spanish from the bundled registry, or a systematic (IUPAC) name. For
    each of US, CN, UN, EU, CA, MX and UK you get the status (controlled / precursor /
    not-listed), the legal basis (entry or class clause) with its citation, and risk flags
    (analogue-risk, masked-precursor, salt-or-mixture) kept apart from legal status.

    \b
    Examples:
      interdiction check "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"
      interdiction check 125541-22-2
      interdiction check "1-boc-4-AP" --as-of 2019-01-01
      interdiction check 芬太尼 --format json
      interdiction check "<SMILES>" --svg out/
      interdiction check --input catalog.csv --column smiles --output verdicts.csv --jobs 2 --report report.html
    """
    if (query is None) == (input_path is None):
        raise click.UsageError("give either one QUERY or --input FILE (not both, not neither).")
    if query is not None:
        _single(query, fmt or "table", as_of, svg_dir, identifiers)
        return
    assert input_path is not None
    _batch(
        input_path,
        column,
        output,
        fmt,
        as_of,
        report_path,
        jobs,
        time_limit,
        identifiers,
        no_progress,
        svg_dir,
    )


def _single(
    query: str, fmt: str, as_of: date | None, svg_dir: Path | None, identifiers: bool
) -> None:
    verdict = check_one(query, as_of=as_of, identifiers=identifiers or svg_dir is not None)
    if fmt == "json":
        click.echo(json.dumps(verdict_json(verdict), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        for _ in write_csv([verdict], sys.stdout):
            pass
    else:
        click.echo(f"(law as of {as_of or date.today()})")
        click.echo(format_table(verdict))
    if svg_dir is not None and verdict.smiles:
        svg_dir.mkdir(parents=True, exist_ok=True)
        target = svg_dir / f"{verdict.inchikey or 'structure'}.svg"
        target.write_text(verdict_svg(verdict), encoding="utf-8")
        click.echo(f"structure drawn to {target}", err=True)
    if verdict.error:
        sys.exit(1)


def _batch(
    input_path: Path,
    column: str | None,
    output: Path | None,
    fmt: str | None,
    as_of: date | None,
    report_path: Path | None,
    jobs: int,
    time_limit: float,
    identifiers: bool,
    no_progress: bool,
    svg_dir: Path | None,
) -> None:
    records = read_inputs(input_path, column=column)  # InputFileError -> exit 2 via root group
    out_fmt = fmt or ("json" if output is not None and output.suffix == ".jsonl" else "csv")
    report = BatchReport(source=str(input_path), as_of=as_of or date.today())
    with ExitStack() as stack:
        out: IO[str]
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            out = stack.enter_context(output.open("w", encoding="utf-8", newline=""))
        else:
            out = sys.stdout
        verdicts = screen_batch(
            records, as_of=as_of, jobs=jobs, time_limit_s=time_limit, identifiers=identifiers
        )
        progress = tqdm(
            verdicts, unit=" mol", desc="screening", disable=no_progress or None, file=sys.stderr
        )
        if out_fmt == "json":
            stream = write_jsonl(progress, out)
        elif out_fmt == "csv":
            stream = write_csv(progress, out)
        else:
            stream = _write_tables(progress, out)
        for verdict in stream:
            report.add(verdict)
            if svg_dir is not None and (verdict.is_listed_anywhere or verdict.flags):
                svg_dir.mkdir(parents=True, exist_ok=True)
                (svg_dir / f"row{verdict.row:06d}.svg").write_text(
                    verdict_svg(verdict), encoding="utf-8"
                )
    summary = f"{report.total} rows: {report.flagged_total} listed or flagged, {report.invalid} invalid input"
    if report_path is not None:
        report.write(report_path)
        summary += f"; report: {report_path}"
    if output is not None:
        summary += f"; verdicts: {output}"
    click.echo(summary, err=True)


def _write_tables(verdicts: Iterable[SubstanceVerdict], out: IO[str]) -> Iterator[SubstanceVerdict]:
    for verdict in verdicts:
        out.write(format_table(verdict) + "\n\n")
        yield verdict


@click.group("substances")
def substances_group() -> None:
    """Look up substances in the bundled legal data.

    \b
    Example:
      interdiction substances history 4-piperidone
    """


@substances_group.command("history")
@click.argument("query")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def history_command(query: str, fmt: str) -> None:
    """Print QUERY's status per jurisdiction over time: when it became controlled, and how.

    QUERY is anything `interdiction check` accepts (name, CAS number, SMILES ...).

    \b
    Examples:
      interdiction substances history 4-piperidone
      interdiction substances history 125541-22-2 --format json
    """
    try:
        timeline = history_mod.substance_history(query)
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(history_mod.history_json(timeline), ensure_ascii=False, indent=2))
    else:
        click.echo(history_mod.format_history(timeline))


def register(group: click.Group) -> None:
    """Add ``check`` and ``substances`` to the root group."""
    group.add_command(check_command)
    group.add_command(substances_group)
