"""The local Stripe's store index (saas/localstripe_run.py): a list reads the kind's own
entries, and they are the very objects, in the very order, that localstripe's scan of the whole
store gives, through creations, deletions, a flush and a reload."""

import pytest
from localstripe import resources

from saas import localstripe_run


def _scanned(store, kind):
    return [value for key, value in store.items() if key.startswith(kind + ":")]


@pytest.fixture
def store(monkeypatch):
    indexed = localstripe_run.IndexedStore()
    monkeypatch.setattr(resources, "store", indexed)
    monkeypatch.setattr(resources.Store, "dump_to_disk", lambda self: None)
    monkeypatch.setattr(resources.StripeObject, "_api_list_all",
                        classmethod(localstripe_run._list_all))
    return indexed


def _listed(cls):
    return cls._api_list_all("/v1/" + cls.object + "s")._list


def test_lists_match_the_whole_store_scan(store):
    customers = [resources.Customer(name=f"公司{n}", email=f"c{n}@example.com")
                 for n in range(4)]
    resources.Customer._api_delete(customers[1].id)
    customers.append(resources.Customer(name="公司9", email="c9@example.com"))
    store["balance"] = object()  # localstripe's singletons have no kind

    assert _listed(resources.Customer) == _scanned(store, "customer")
    assert [c.id for c in _listed(resources.Customer)] == \
        [customers[n].id for n in (0, 2, 3, 4)]
    assert _listed(resources.Refund) == []


def test_a_reload_and_a_flush_keep_the_index_in_step(store):
    kept = [resources.Customer(name=f"公司{n}", email="") for n in range(3)]
    copy = dict(store)

    store.clear()
    assert _listed(resources.Customer) == []
    store.update(copy)
    assert _listed(resources.Customer) == kept == _scanned(store, "customer")


def test_unexpected_filters_are_refused_as_localstripe_does(store):
    with pytest.raises(resources.UserError):
        resources.StripeObject._api_list_all.__func__(resources.Customer, "/v1/customers",
                                                      colour="red")
