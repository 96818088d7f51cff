"""CLI commands for shipments: ``interdiction screen`` (the main job) and ``sample-manifest``."""

from __future__ import annotations

import glob
from pathlib import Path

import click

from interdiction.errors import ConfigError

__all__ = ["register"]

_SCREEN_HELP = """Screen shipment records (manifests, order books) for fentanyl-precursor diversion risk.

\b
INPUT is one or more CSV, XLSX, JSON Lines or Parquet files, or glob patterns
("big/*.parquet"). Each record gets a risk score 0-100, a risk level, the flags that
fired and the top reason; every flag names its published source.

\b
Writes to --out:
  records.parquet, records.csv  one row per input record: record_id, risk_score,
                                risk_level, flags, top_reason, then the input fields
  flags.csv                     one row per fired rule, with evidence and source
  errors.csv                    per-record problems: 'error' rows were not screened,
                                'warning' rows were screened with that field cleared
  report.html                   summary, highest-risk records, network, charts

\b
Headers: common vendor exports (Panjiva, AMS, CN 23, Shopify, ...) are recognised;
for your own headers give --mapping FILE, a YAML file of canonical_name: "Your Header",
e.g.  description: "Item text"  and  consignee_name: "Buyer".

\b
Scale: --dask partitions the input and screens it on a local Dask cluster (or on
--scheduler tcp://HOST:8786; the output directory must then be on shared storage).
Finished partitions are checkpointed in OUT/.checkpoint; --resume OUT continues a
killed run without losing or repeating a record.

\b
Examples:
  interdiction screen manifest.csv --out results/
  interdiction screen orders.xlsx --mapping my-columns.yaml --out results/
  interdiction screen "big/*.parquet" --dask --workers 4 --out results/
  interdiction screen "big/*.parquet" --dask --resume results/
"""


def _expand(patterns: tuple[str, ...]) -> list[Path]:
    paths: list[Path] = []
    for pattern in patterns:
        # A pattern matching nothing stays as given: the run reports it as unreadable and goes on.
        matches = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else []
        paths.extend(Path(m) for m in matches or [pattern])
    return paths


@click.command(name="screen", help=_SCREEN_HELP)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (created). Defaults to the --resume directory.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Column-mapping YAML: canonical_name: "Your Header" per line.',
)
@click.option(
    "--dask",
    "use_dask",
    is_flag=True,
    help="Screen partitions on Dask (LocalCluster unless --scheduler).",
)
@click.option(
    "--scheduler",
    metavar="URL",
    help="Running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --dask).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=2,
    show_default=True,
    help="Worker processes of the local Dask cluster (one thread each).",
)
@click.option(
    "--resume",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Output directory of a killed run with the same inputs: reuse its finished partitions.",
)
@click.option(
    "--rules",
    "rule_packs",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra rule pack (YAML); repeat for several. The bundled pack always loads first.",
)
@click.option(
    "--lists",
    type=click.Choice(["auto", "store", "sample", "none"]),
    default="auto",
    show_default=True,
    help="Party lists: imported list store, else bundled sample (auto); store; sample; none.",
)
@click.option(
    "--chunk-rows", type=click.IntRange(1), default=None, hidden=True, help="Rows per partition."
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.option(
    "--engine",
    default=None,
    hidden=True,
    help="Module with the screening functions (tests, other rule engines).",
)
def screen_command(
    inputs: tuple[str, ...], out_dir: Path | None, mapping: Path | None, use_dask: bool, scheduler: str | None,
    workers: int, resume: Path | None, rule_packs: tuple[Path, ...], lists: str, chunk_rows: int | None,
    progress: bool, engine: str | None,
) -> None:  # fmt: skip
    from interdiction.shipments.pipeline import DEFAULT_ENGINE, run_screen
    from interdiction.shipments.readers import DEFAULT_CHUNK_ROWS

    target = out_dir or resume
    if target is None:
        raise ConfigError(
            "give --out DIR for the results (or --resume DIR to continue a killed run)."
        )
    summary = run_screen(
        _expand(inputs), target, mapping=mapping, dask=use_dask or scheduler is not None, scheduler=scheduler,
        workers=workers, resume=resume, rule_packs=rule_packs, lists=lists,
        chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS, progress=progress,
        engine=engine or DEFAULT_ENGINE,
    )  # fmt: skip
    levels = ", ".join(f"{level} {count}" for level, count in sorted(summary.by_level.items()))
    click.echo(f"{summary.inputs} input records = {summary.results} screened + {summary.rejected} rejected "
               f"(see errors.csv; {summary.warnings} field warnings)")  # fmt: skip
    click.echo(f"risk levels: {levels or 'none'}")
    for problem in summary.unreadable_files:
        click.echo(f"unreadable file: {problem}", err=True)
    if summary.resumed_partitions:
        click.echo(
            f"resumed: {summary.resumed_partitions} of {summary.partitions} partitions reused"
        )
    click.echo(f"{summary.mode} run, {summary.workers} worker(s), {summary.seconds:.1f} s")
    click.echo(f"report: {summary.report}")


@click.command(name="sample-manifest", hidden=True)
@click.option(
    "--rows", type=click.IntRange(1), default=3000, show_default=True, help="Number of records."
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file, .csv or .parquet (streamed in chunks).",
)
@click.option(
    "--seed", type=int, default=None, help="Generator seed (default: the bundled sample's)."
)
@click.option(
    "--truth",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the planted-pattern table here.",
)
def sample_manifest_command(
    rows: int, out_path: Path, seed: int | None, truth: Path | None
) -> None:
    """Write a SYNTHETIC manifest with planted suspicious records (for demos and benchmarks).

    \b
    Example:
      interdiction sample-manifest --rows 1000000 --out big/manifest.parquet
    """
    from interdiction.shipments.sample import SAMPLE_SEED, write_manifest

    write_manifest(out_path, rows, seed=SAMPLE_SEED if seed is None else seed, truth=truth)
    click.echo(f"wrote {rows} synthetic records to {out_path}")


def register(group: click.Group) -> None:
    """Add this module's commands to the root group."""
    group.add_command(screen_command)
    group.add_command(sample_manifest_command)
