"""Dask mode gives exactly the local results (2-worker LocalCluster, small input)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from interdiction.shipments.pipeline import run_screen
from interdiction.shipments.sample import write_manifest

HERE = Path(__file__).parent
pytestmark = pytest.mark.integration


def _frames(out: Path) -> dict[str, pd.DataFrame]:
    records = pd.read_parquet(out / "records.parquet").sort_values("record_id", kind="stable")
    flags = pd.read_csv(out / "flags.csv", keep_default_na=False).sort_values(
        ["record_id", "rule_id", "evidence"], kind="stable"
    )
    errors = pd.read_csv(out / "errors.csv", keep_default_na=False)
    return {name: frame.reset_index(drop=True) for name, frame in
            {"records": records, "flags": flags, "errors": errors}.items()}  # fmt: skip


@pytest.mark.parametrize("engine", ["standin_engine", "interdiction.shipments.screening"])
def test_dask_results_equal_local_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    monkeypatch.syspath_prepend(str(HERE))  # spawned Dask workers inherit sys.path
    manifest = write_manifest(tmp_path / "m.csv", 1500)
    local = run_screen([manifest], tmp_path / "local", engine=engine, chunk_rows=200, progress=False,
                       lists="sample")  # fmt: skip
    dask = run_screen([manifest], tmp_path / "dask", engine=engine, chunk_rows=200, progress=False,
                      dask=True, workers=2, lists="sample")  # fmt: skip
    assert (dask.mode, dask.workers, dask.partitions) == ("dask", 2, 8)
    assert (
        (local.inputs, local.results, local.rejected)
        == (dask.inputs, dask.results, dask.rejected)
        == (1500, 1499, 1)
    )
    expected, actual = _frames(tmp_path / "local"), _frames(tmp_path / "dask")
    for name in expected:
        pd.testing.assert_frame_equal(actual[name], expected[name], check_exact=True, obj=name)
    assert expected["records"]["flags"].ne("").sum() >= 5


def test_given_scheduler_address_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    monkeypatch.syspath_prepend(str(HERE))
    manifest = write_manifest(tmp_path / "m.csv", 300)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        summary = run_screen([manifest], tmp_path / "out", engine="standin_engine", chunk_rows=100,
                             progress=False, dask=True, scheduler=cluster.scheduler_address)  # fmt: skip
        assert cluster.scheduler_address.startswith("tcp://")
    assert (summary.mode, summary.workers, summary.partitions) == ("dask", 1, 3)
    assert (summary.inputs, summary.results) == (300, 300)


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    from interdiction.errors import ConfigError

    manifest = write_manifest(tmp_path / "m.csv", 10)
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler"):
        run_screen(
            [manifest], tmp_path / "out", progress=False, dask=True, scheduler="tcp://127.0.0.1:1"
        )


def _worker_settings() -> tuple[object, object]:
    import dask

    return (
        dask.config.get("distributed.worker.profile.enabled"),
        dask.config.get("distributed.worker.memory.monitor-interval"),
    )


def test_local_cluster_workers_run_without_the_profiler() -> None:
    from interdiction.shipments._dask import DaskSession

    session = DaskSession(scheduler=None, workers=1)
    try:
        profile, monitor = session._client.submit(_worker_settings, pure=False).result()
    finally:
        session.close()
    # The statistical profiler samples every stack 100 times a second: CPU taken from screening.
    assert profile is False and monitor == "1s"
