"""Advisory locks that belong to one company: the key carries the schema, so company A's
monthly close or import never queues behind company B's."""

from django.db import connection
from django_tenants.utils import get_public_schema_name


def company_xact_lock(name: str) -> None:
    """Waits for, then holds to the end of the transaction, the lock `name` of the current
    schema (the two-key form: the schema's hash and the name's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))",
                       [connection.schema_name, name])


def company_xact_lock_try(name: str) -> bool:
    """As company_xact_lock, without waiting: False when someone else holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s), hashtext(%s))",
                       [connection.schema_name, name])
        return cursor.fetchone()[0]


def public_xact_lock_try(name: str) -> bool:
    """As company_xact_lock_try, keyed by the public schema whatever schema the connection is
    in: a lock about a public row (a Stripe customer's events), taken by tasks that run in a
    company's schema (sent from its site) and in public (the sweep) alike."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s), hashtext(%s))",
                       [get_public_schema_name(), name])
        return cursor.fetchone()[0]
