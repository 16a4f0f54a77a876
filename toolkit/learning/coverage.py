"""What of a video or audio lesson was watched: coverage, not time played. Each progress row
keeps a small bitmap (PostgreSQL `bit varying`) of its media cut into buckets of at most
0.1 s (at most 2000 buckets: 250 bytes a row); a beat marks the stretch it credits, so a
stretch watched twice counts once. The credit itself is what it was: at most the wall-clock
time since the last beat (≤ 30 s) and at most how far the position moved, in fractions of a
second (docs/decisions/0038-learning-credit-and-withdrawal.md)."""

import math

from django.db import models

WATCHED_SHARE = 0.9
HEARTBEAT_MAX_CREDIT = 30  # seconds credited per beat at most (the player beats every 10 s)
BUCKETS_PER_SECOND = 10
BUCKETS_MAX = 2000


class CoverageField(models.Field):
    """A bitmap written only by the heartbeat statements below (NULL until the second beat)."""

    description = "bit varying"

    def db_type(self, connection):
        return "bit varying"


def buckets_for(length: int) -> int:
    return max(1, min(int(length) * BUCKETS_PER_SECOND, BUCKETS_MAX))


def buckets_needed(buckets: int) -> int:
    """How many buckets make 90 %."""
    return math.ceil(buckets * WATCHED_SHARE - 1e-9)


# The credit of a beat at %(position)s (seconds, with fractions) at %(now)s on the locked
# row `p`: at most the cap, the wall-clock time since its last beat and how far it moved.
_CREDIT = """GREATEST(0::float8, LEAST(%(cap)s::float8,
    EXTRACT(EPOCH FROM (%(now)s - COALESCE(p.last_heartbeat_at, %(now)s)))::float8,
    %(position)s::float8 - p.position_seconds))"""
# The credited stretch is the one that ends at the position, as long as the credit; its ends
# are rounded to the nearest bucket: bits [lo, hi) of N ones, by two shifts. The ones are
# made by the server (repeat): as a parameter, psycopg2 would write the N characters into the
# statement at each of their six places.
_LO = ("LEAST(%(buckets)s, GREATEST(0, FLOOR((%(position)s::float8 - " + _CREDIT
       + ") * %(buckets)s / %(length)s + 0.5)::int))")
_HI = "LEAST(%(buckets)s, FLOOR(%(position)s::float8 * %(buckets)s / %(length)s + 0.5)::int)"
# A row from before coverage (or moved to a version whose lesson has another length) starts
# from its watched seconds, as the first stretch.
_BASE = """(CASE WHEN bit_length(p.coverage) = %(buckets)s THEN p.coverage
    ELSE repeat('1', %(buckets)s)::varbit << (%(buckets)s - LEAST(%(buckets)s,
                                                  p.watched_seconds * %(buckets)s / %(length)s))
    END)"""
_COVERED = ("(" + _BASE + " | ((repeat('1', %(buckets)s)::varbit >> " + _LO
            + ") & (repeat('1', %(buckets)s)::varbit << (%(buckets)s - " + _HI + "))))")
# The SET of the heartbeat statements: the bitmap, and watched_seconds, the covered share of
# the length. Flat expressions (no sub-select): planned in a fraction of a millisecond.
COVERAGE_SET = ("coverage = " + _COVERED + ",\n    watched_seconds = LEAST(%(length)s, ROUND("
                "bit_count(" + _COVERED + ") * %(length)s::numeric / %(buckets)s))::int")


def beat_params(*, length: int, position: float, now) -> dict:
    """The statement's parameters; `position` already within 0..length."""
    buckets = buckets_for(length)
    return {"length": int(length), "buckets": buckets,
            "position": float(position), "position_floor": int(position), "now": now,
            "cap": HEARTBEAT_MAX_CREDIT}


def position_clamped(position, length: int) -> float:
    """The player's position (seconds, fractions kept) within the lesson; not a number: 0."""
    try:
        value = float(position)
    except (TypeError, ValueError, OverflowError):
        return 0.0
    if not math.isfinite(value):
        return 0.0
    return min(max(value, 0.0), float(length))
