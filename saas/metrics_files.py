"""Where a process writes its Prometheus samples (docs/decisions/0036-metrics.md). Apart from
saas.metrics because it must run before prometheus_client is imported: that import decides,
from PROMETHEUS_MULTIPROC_DIR, whether samples go to files shared between processes."""

import os
import shutil
from pathlib import Path


def metrics_dir_from_env() -> Path:
    """METRICS_DIR, as saas/settings.py reads it, for the processes that start before Django
    (gunicorn's master, the launcher)."""
    data_dir = Path(os.environ.get("DATA_DIR", Path(__file__).resolve().parent.parent / ".data"))
    return Path(os.environ.get("METRICS_DIR", data_dir / "metrics"))


def group_dir_use(metrics_dir: Path | str, group: str, *, wipe: bool) -> Path:
    """This process (and those it forks) writes to METRICS_DIR/<group>; `wipe` starts the
    group afresh (its previous run's processes are gone). Call before any sample is written."""
    folder = Path(metrics_dir) / group.replace("/", "_")
    if wipe:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder
