"""docs/deploy.md's systemd units: systemd itself checks them (paths pointed at this checkout),
they start what `make run` starts, and their environment file names only settings that exist."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
ENV_FILE = ROOT / "deploy" / "incubator.env.example"


def _here(unit: Path, tmp_path: Path) -> Path:
    text = unit.read_text()
    text = text.replace("/etc/incubator/incubator.env", str(ENV_FILE))
    text = text.replace("/srv/incubator", str(ROOT))
    text = re.sub(r"^(User|Group)=.*$", r"\1=root", text, flags=re.MULTILINE)
    copy = tmp_path / unit.name
    copy.write_text(text)
    return copy


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze")
def test_systemd_verifies_the_units(tmp_path):
    assert [unit.name for unit in UNITS] == [
        "incubator-beat.service", "incubator-web.service", "incubator-worker.service"]
    copies = [_here(unit, tmp_path) for unit in UNITS]
    result = subprocess.run(["systemd-analyze", "verify", *map(str, copies)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    broken = tmp_path / "broken.service"  # the check is not a rubber stamp
    broken.write_text(copies[0].read_text().replace("ExecStart=" + str(ROOT), "ExecStart=srv"))
    assert subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True,
                          timeout=60).returncode != 0


def test_the_units_run_what_make_run_runs():
    from saas import launcher

    web = (ROOT / "deploy/systemd/incubator-web.service").read_text()
    command = launcher.web_command("8000")[1:]  # without the interpreter
    command[command.index("--bind") + 1] = "127.0.0.1:8000"
    assert " ".join(command) in web
    units = ROOT / "deploy" / "systemd"
    assert "-m celery -A saas worker" in (units / "incubator-worker.service").read_text()
    assert "-m celery -A saas beat" in (units / "incubator-beat.service").read_text()


def test_the_environment_file_names_only_settings_that_exist():
    files = [*(ROOT / "saas").glob("*.py"), *(ROOT / "tenants").rglob("*.py")]
    source = "".join(path.read_text() for path in files)
    names = [line.split("=", 1)[0] for line in ENV_FILE.read_text().splitlines()
             if line and not line.startswith("#")]
    unknown = [name for name in names if f'"{name}"' not in source]
    assert not unknown


def test_the_environment_file_reads_the_same_in_the_shell_as_in_systemd():
    """docs/deploy.md runs migrate with `set -a; . incubator.env`: a value with a space or a
    `<` unquoted is a shell syntax error there (systemd alone would have read it)."""
    result = subprocess.run(["sh", "-c", f'set -a; . "{ENV_FILE}"; env -0'],
                            capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    seen = dict(item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item)
    for line in ENV_FILE.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, value = line.split("=", 1)
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]  # systemd's EnvironmentFile= drops the quotes too
        assert seen[name] == value, name
    assert seen["DEFAULT_FROM_EMAIL"] == "党建孵化器 <noreply@dangjian.example.com>"
