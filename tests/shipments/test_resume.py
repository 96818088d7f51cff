"""A killed run resumed with --resume gives exactly the outputs of an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interdiction.errors import ConfigError
from interdiction.shipments.pipeline import run_screen
from interdiction.shipments.sample import write_manifest

HERE = Path(__file__).parent
SRC = HERE.parents[1] / "src"
OUTPUTS = ("records.csv", "flags.csv", "errors.csv")


@pytest.fixture(autouse=True)
def _standin_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(HERE))


def _start(manifest: Path, out: Path, *, dask: bool) -> subprocess.Popen[bytes]:
    code = (
        "from pathlib import Path; from interdiction.shipments.pipeline import run_screen; "
        f"run_screen([Path({str(manifest)!r})], Path({str(out)!r}), engine='standin_engine', "
        f"chunk_rows=100, progress=False, dask={dask}, workers=2)"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), str(SRC)]),
        "STANDIN_DELAY": "0.4",
    }
    return subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _kill_after_parts(process: subprocess.Popen[bytes], checkpoint: Path, parts: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = len(list(checkpoint.glob("part-*"))) if checkpoint.is_dir() else 0
        if done >= parts:
            break
        assert process.poll() is None, "the run ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the run and any worker processes it started
    process.wait(timeout=30)
    return len(list(checkpoint.glob("part-*")))


def _kill_and_resume(tmp_path: Path, *, dask: bool) -> None:
    manifest = write_manifest(tmp_path / "m.csv", 1500)
    reference = run_screen(
        [manifest], tmp_path / "reference", engine="standin_engine", chunk_rows=100, progress=False
    )
    out = tmp_path / "out"
    finished = _kill_after_parts(_start(manifest, out, dask=dask), out / ".checkpoint", parts=3)
    assert 3 <= finished < 15
    assert not (out / "records.csv").exists()
    resumed = run_screen([manifest], tmp_path / "out", engine="standin_engine", chunk_rows=100, progress=False,
                         resume=out, dask=dask, workers=2)  # fmt: skip
    assert resumed.resumed_partitions == finished and resumed.partitions == 15
    assert (resumed.inputs, resumed.results, resumed.rejected) == (
        reference.inputs,
        reference.results,
        reference.rejected,
    )
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (tmp_path / "reference" / name).read_bytes(), name


def test_killed_local_run_resumes_exactly(tmp_path: Path) -> None:
    _kill_and_resume(tmp_path, dask=False)


@pytest.mark.integration
def test_killed_dask_run_resumes_exactly(tmp_path: Path) -> None:
    _kill_and_resume(tmp_path, dask=True)


def test_resume_refuses_a_checkpoint_of_other_inputs(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "m.csv", 300)
    run_screen(
        [manifest], tmp_path / "out", engine="standin_engine", chunk_rows=100, progress=False
    )
    write_manifest(manifest, 301)
    with pytest.raises(ConfigError, match="other input files or options"):
        run_screen([manifest], tmp_path / "out", engine="standin_engine", chunk_rows=100, progress=False,
                   resume=tmp_path / "out")  # fmt: skip


def test_resume_refuses_a_checkpoint_in_an_older_layout(tmp_path: Path) -> None:
    import json

    manifest = write_manifest(tmp_path / "m.csv", 300)
    out = tmp_path / "out"
    run_screen([manifest], out, engine="standin_engine", chunk_rows=100, progress=False)
    # As an earlier version wrote it: same inputs and options, Parquet part files, no layout.
    recorded = json.loads((out / ".checkpoint" / "manifest.json").read_text())
    del recorded["format"]
    (out / ".checkpoint" / "manifest.json").write_text(json.dumps(recorded))
    with pytest.raises(ConfigError, match="another version of interdiction"):
        run_screen([manifest], out, engine="standin_engine", chunk_rows=100, progress=False,
                   resume=out)  # fmt: skip


def test_resume_without_checkpoint_says_so(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "m.csv", 50)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no checkpoint"):
        run_screen(
            [manifest],
            tmp_path / "empty",
            engine="standin_engine",
            progress=False,
            resume=tmp_path / "empty",
        )


def test_resume_into_another_directory_reuses_parts(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "m.csv", 300)
    first = run_screen(
        [manifest], tmp_path / "a", engine="standin_engine", chunk_rows=100, progress=False
    )
    second = run_screen([manifest], tmp_path / "b", engine="standin_engine", chunk_rows=100, progress=False,
                        resume=tmp_path / "a")  # fmt: skip
    assert second.resumed_partitions == first.partitions == 3
    assert (tmp_path / "a" / "records.csv").read_bytes() == (
        tmp_path / "b" / "records.csv"
    ).read_bytes()
