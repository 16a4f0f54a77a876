"""The filesystem broker keeps all its files under DATA_DIR, none in the working directory."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PUBLISH = ("import django; django.setup(); from saas.celery import app; "
           "app.send_task('tests.probe_tasks.probe_ping'); print('sent')")


def test_publishing_on_the_filesystem_broker_writes_only_under_data_dir(tmp_path):
    workdir, data_dir = tmp_path / "cwd", tmp_path / "data"
    workdir.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
           "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "saas.settings",
           "DATA_DIR": str(data_dir)}  # no REDIS_URL: the filesystem transport
    run = subprocess.run([sys.executable, "-c", PUBLISH], cwd=workdir, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "sent", run.stderr
    assert list(workdir.iterdir()) == []  # kombu's default put control/ here
    assert (data_dir / "broker" / "control" / "celery.exchange").exists()
    assert len(list((data_dir / "broker" / "queue").iterdir())) == 1  # the message itself
