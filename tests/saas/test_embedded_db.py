"""The launcher that `make run` and `make test` use on a machine without a database server."""

import socket
import subprocess

from saas.embedded_db import POSTGRES_BIN_PATH, EmbeddedPostgres


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _query(server: EmbeddedPostgres, sql: str) -> str:
    return subprocess.run(
        [str(POSTGRES_BIN_PATH / "psql"), server.url, "-tAc", sql],
        capture_output=True, text=True, check=True,
    ).stdout.strip()


def test_embedded_postgres_starts_keeps_data_and_stops_cleanly(tmp_path):
    server = EmbeddedPostgres(data_dir=tmp_path / "pg", port=_free_port())
    try:
        assert server.start() is True
        assert server.is_running()
        assert server.start() is False  # already running: reused, not started twice
        _query(server, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('数据保留')")
        server.stop()
        assert not server.is_running()
        with socket.socket() as sock:  # the port is free again
            assert sock.connect_ex(("127.0.0.1", server.port)) != 0

        assert server.start() is True  # a second run finds the same data
        assert _query(server, "SELECT note FROM kept") == "数据保留"
    finally:
        server.stop()
    assert not server.is_running()


def test_a_second_checkout_gets_another_port_when_the_first_holds_it(tmp_path):
    port = _free_port()
    first = EmbeddedPostgres(data_dir=tmp_path / "one", port=port)
    second = EmbeddedPostgres(data_dir=tmp_path / "two", port=port)
    try:
        first.start()
        second.start()
        assert second.port != port
        assert _query(second, "SELECT 1") == "1"
        # The next run of the second checkout finds its own server again.
        assert EmbeddedPostgres(data_dir=tmp_path / "two").port == second.port
    finally:
        second.stop()
        first.stop()


def test_embedded_pg_port_from_the_environment_wins_over_the_remembered_one(tmp_path,
                                                                            monkeypatch):
    (tmp_path / "pg.port").write_text("55001")  # what the last run used
    monkeypatch.delenv("EMBEDDED_PG_PORT", raising=False)
    assert EmbeddedPostgres(data_dir=tmp_path / "pg").port == 55001
    monkeypatch.setenv("EMBEDDED_PG_PORT", "55002")
    assert EmbeddedPostgres(data_dir=tmp_path / "pg").port == 55002
