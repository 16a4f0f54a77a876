"""localstripe (a fake, stateful Stripe server, GPL, a development tool) on loopback, for
billing without a Stripe account: `python -m saas.localstripe_run PORT [STORE_FILE]`.

localstripe pickles its whole store to /tmp/localstripe.pickle after every write: shared by
every instance on the machine. Here the store is kept in STORE_FILE (make run: under .data/,
so customers and subscriptions outlive a restart, as billing's rows do), or in memory only
(the tests and the bench, where pickling after each write would be the bottleneck)."""

import pickle
import sys

from aiohttp import web
from localstripe import resources, server


def _store_at(path: str | None) -> None:
    def dump(store):
        if path:
            with open(path, "wb") as f:
                pickle.dump(dict(store), f, protocol=pickle.HIGHEST_PROTOCOL)

    resources.Store.dump_to_disk = dump
    if path:
        try:
            with open(path, "rb") as f:
                resources.store.update(pickle.load(f))
        except FileNotFoundError:
            pass


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8420
    _store_at(sys.argv[2] if len(sys.argv) > 2 else None)
    web.run_app(server.app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
