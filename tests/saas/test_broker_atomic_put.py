"""The filesystem broker (saas/broker.py): a consumer never takes a message being written (kombu
created the file under its final name first, and a consumer polling then read it empty, lost it
and died on the JSON error)."""

import os
from queue import Empty

import pytest
from kombu import Connection

import saas  # noqa: F401  (registers the fixed transport for filesystem://)
from saas.broker import Transport


def test_a_message_shows_in_the_queue_only_once_written(tmp_path, monkeypatch):
    (tmp_path / "control").mkdir()
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path),
               "control_folder": str(tmp_path / "control"), "store_processed": False}
    with Connection("filesystem://", transport_options=options) as producer, \
            Connection("filesystem://", transport_options=options) as consumer:
        assert isinstance(producer.transport, Transport)
        taker = consumer.default_channel
        during = []
        rename = os.rename

        def renamed(src, dst):
            if not str(src).endswith(".tmp"):  # the consumer's own move
                return rename(src, dst)
            with pytest.raises(Empty):  # written, not yet in the queue: nothing to take
                taker._get("jobs")
            during.append(os.path.getsize(src))
            return rename(src, dst)

        monkeypatch.setattr(os, "rename", renamed)
        producer.default_channel._put("jobs", {"body": "x" * 1000})
        assert during and during[0] > 1000
        assert taker._get("jobs") == {"body": "x" * 1000}
        with pytest.raises(Empty):
            taker._get("jobs")
