"""Migrating many company schemas: only those behind the template, in a bounded pool of
processes, with progress and each schema's time (docs/decisions/0030-migrations-at-scale.md).

A schema is done or not done, never half: every migration of this project runs in its own
transaction with the row that records it (PostgreSQL has transactional DDL). So a run killed
halfway leaves each schema either at the new key or at the old one, and the next run takes
exactly the ones still behind.
"""

import multiprocessing
import statistics
import time
from collections.abc import Callable, Iterator

from django.db import connection, connections
from django_tenants.migration_executors.base import run_migrations

# Each child's inherited copy of the parent's connections: kept referenced (never closed or
# collected, which would end the parent's session and its advisory lock) until the child exits.
_inherited: list = []


def _child_start() -> None:
    for conn in connections.all():
        _inherited.append(conn.connection)
        conn.connection = None  # the child opens its own


def _migrate_one(args: tuple, options: dict, schema: str) -> tuple[str, float]:
    started = time.perf_counter()
    run_migrations(args, options, "parallel", schema, allow_atomic=False)
    return schema, (time.perf_counter() - started) * 1000


def schemas_migrate(*, schemas: list[str], args: tuple, options: dict, processes: int,
                    ) -> Iterator[tuple[str, float]]:
    """Migrates `schemas`, yielding (schema, milliseconds) as each one finishes.

    Inside a transaction (tests) the work stays in this process: others would not see it."""
    if processes <= 1 or connection.in_atomic_block:
        for schema in schemas:
            started = time.perf_counter()
            run_migrations(args, options, "standard", schema)
            yield schema, (time.perf_counter() - started) * 1000
        return
    context = multiprocessing.get_context("fork")  # the children inherit the loaded project
    with context.Pool(processes, initializer=_child_start, maxtasksperchild=200) as pool:
        work: Callable = _Bound(args, options)
        yield from pool.imap_unordered(work, schemas)


class _Bound:
    """_migrate_one with the command's arguments, picklable for the pool."""

    def __init__(self, args: tuple, options: dict):
        self.args, self.options = args, options

    def __call__(self, schema: str) -> tuple[str, float]:
        return _migrate_one(self.args, self.options, schema)


def percentile(samples: list[float], fraction: float) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[round(fraction * 100) - 1]
