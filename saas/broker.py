"""kombu's filesystem transport (the broker without a server, docs/decisions/0002) with one fix:
a message is written under a name the consumer skips, then renamed into the queue. kombu
creates the message file under its final name and writes it afterwards, so a consumer polling
at that moment took the empty file: the message was lost and the worker's consumer died on the
JSON error (seen under a burst of webhooks, 0034). A rename within one folder is atomic."""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # "_partial.<name>": not "<anything>.<queue>.msg", so no consumer takes it.
        partial = os.path.join(self.data_folder_out, f"_partial.{name}.tmp")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.rename(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def filesystem_transport_fixed() -> None:
    """`filesystem://` means this transport in this process (producers and the worker)."""
    TRANSPORT_ALIASES["filesystem"] = "saas.broker:Transport"
