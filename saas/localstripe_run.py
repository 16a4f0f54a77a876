"""localstripe (a fake, stateful Stripe server, GPL, a development tool) on loopback, for
billing without a Stripe account: `python -m saas.localstripe_run PORT [STORE_FILE]`.

localstripe pickles its whole store to /tmp/localstripe.pickle after every write: shared by
every instance on the machine. Here the store is kept in STORE_FILE (make run: under .data/,
so customers and subscriptions outlive a restart, as billing's rows do), or in memory only
(the tests and the bench, where pickling after each write would be the bottleneck).

localstripe also lists any kind of object by scanning its whole store, and exporting a charge
lists its refunds three times: an invoice list with its payments expanded scanned the store
some ten times per invoice, so the fake's CPU grew with every customer it held (half of its
time in the billing bench, docs/decisions/0034). Here the store keeps an index per kind, and
a list reads only its own kind, in the store's order: the same objects in the same order."""

import pickle
import sys

from aiohttp import web
from localstripe import resources, server


class IndexedStore(resources.Store):
    """localstripe's store (keys "<object>:<id>", a few singletons without a colon), with each
    kind's entries also in a dict of their own, kept in step on every write."""

    def __init__(self, *args, **kwargs):
        self.by_kind: dict[str, dict] = {}
        super().__init__()
        self.update(*args, **kwargs)

    @staticmethod
    def _kind(key) -> str | None:
        return key.split(":", 1)[0] if isinstance(key, str) and ":" in key else None

    def __setitem__(self, key, value):
        kind = self._kind(key)
        if kind is not None:
            self.by_kind.setdefault(kind, {})[key] = value
        super().__setitem__(key, value)

    def __delitem__(self, key):
        super().__delitem__(key)
        kind = self._kind(key)
        if kind is not None:
            self.by_kind.get(kind, {}).pop(key, None)

    def clear(self):
        super().clear()
        self.by_kind.clear()

    def update(self, *args, **kwargs):
        # dict.update would bypass __setitem__ (and the index); no dump per entry on a load.
        for key, value in dict(*args, **kwargs).items():
            kind = self._kind(key)
            if kind is not None:
                self.by_kind.setdefault(kind, {})[key] = value
            dict.__setitem__(self, key, value)

    def of_kind(self, kind: str) -> list:
        return list(self.by_kind.get(kind, {}).values())


def _list_all(cls, url, limit=None, starting_after=None, **kwargs):
    """localstripe's StripeObject._api_list_all, reading the kind's index, not the store."""
    if kwargs:
        raise resources.UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
    li = resources.List(url, limit=limit, starting_after=starting_after)
    li._list = resources.store.of_kind(cls.object)
    return li


def _indexed() -> None:
    """One store for every module that imported localstripe's (`from .resources import store`
    binds the object, so it is swapped where it is named)."""
    store = IndexedStore(resources.store)
    for module in (resources, server):
        if getattr(module, "store", None) is resources.store:
            module.store = store
    resources.StripeObject._api_list_all = classmethod(_list_all)


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
    _indexed()
    _store_at(sys.argv[2] if len(sys.argv) > 2 else None)
    web.run_app(server.app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
