"""Portable SQL for the metrics: instants as whole epoch seconds, local time as epoch seconds
shifted by the zone's offset, and periods as day numbers (days since 1970-01-01).

Whole-second integers make the arithmetic the same on SQLite and PostgreSQL; the few things
each engine spells differently (reading an instant as seconds, the first day of a month) are
compiled per dialect here, and nothing else in the queries depends on the engine.
"""
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import BigInteger, Integer, String, case, cast, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

EPOCH_DAY = date(1970, 1, 1)
DAY, HOUR = 86400, 3600


class epoch(FunctionElement):
    """A UTCDateTime column as whole seconds since 1970-01-01 UTC (fractions cut off)."""

    type = BigInteger()
    name = "epoch"
    inherit_cache = True


@compiles(epoch)
def _epoch_sqlite(element, compiler, **kw):
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch, "postgresql")
def _epoch_postgresql(element, compiler, **kw):
    # date_part gives a double, exact to the microsecond for centuries around now, and is
    # several times cheaper than extract's numeric.
    return (f"CAST(floor(date_part('epoch', {compiler.process(element.clauses, **kw)})) "
            f"AS BIGINT)")


class month_start_day(FunctionElement):
    """The day number of the first day of the month a local epoch second falls in."""

    type = Integer()
    name = "month_start_day"
    inherit_cache = True


@compiles(month_start_day)
def _month_sqlite(element, compiler, **kw):
    value = compiler.process(element.clauses, **kw)
    return (f"CAST(julianday(date({value}, 'unixepoch', 'start of month')) - 2440587.5 "
            f"AS INTEGER)")


@compiles(month_start_day, "postgresql")
def _month_postgresql(element, compiler, **kw):
    value = compiler.process(element.clauses, **kw)
    return (f"(CAST(date_trunc('month', to_timestamp({value}) AT TIME ZONE 'UTC') AS DATE) "
            f"- DATE '1970-01-01')")


def day_number(day):
    return (day - EPOCH_DAY).days


def day_of(number):
    return EPOCH_DAY + timedelta(days=int(number))


def seconds_of(instant):
    return int(instant.astimezone(UTC).timestamp())


def offsets(zone, start, end):
    """The zone's UTC offsets over [start, end) as [(from_second, offset_seconds)], the first
    from `start`: one entry, plus one per DST change in between."""
    found = []
    instant = start
    while instant < end:
        offset = int(instant.astimezone(zone).utcoffset().total_seconds())
        if not found or offset != found[-1][1]:
            found.append((seconds_of(instant), offset))
        instant += _next_check(instant, zone, offset, end)
    return found


def _next_check(instant, zone, offset, end):
    """Jump a day at a time while the offset stays, then hour by hour near a change."""
    day = timedelta(days=1)
    if instant + day < end and int((instant + day).astimezone(zone).utcoffset()
                                    .total_seconds()) == offset:
        return day
    return timedelta(hours=1)


def local_seconds(seconds, space_id, zones):
    """SQL: `seconds` (UTC epoch) as local epoch seconds of the row's space.

    `zones`: [(space ids, offsets(zone, ...))], one entry per zone. Offsets change twice a
    year, so a CASE on the instant is all the time zone database the query needs.
    """
    branches = []
    for space_ids, changes in zones:
        shift = literal(changes[0][1])
        if len(changes) > 1:
            shift = case(*[(seconds >= start, literal(offset))
                           for start, offset in reversed(changes[1:])],
                         else_=literal(changes[0][1]))
        branches.append((space_id.in_(space_ids), shift))
    if not branches:  # no spaces: nothing will match anyway
        return seconds
    return seconds + case(*branches, else_=literal(0))


def day_of_local(local):
    return local // DAY


def week_start_of_local(local):
    """Day number of the Monday of the ISO week (day 0, 1970-01-01, was a Thursday)."""
    day = local // DAY
    return day - (day + 3) % 7


def period_of_local(local, granularity):
    if granularity == "day":
        return day_of_local(local)
    if granularity == "week":
        return week_start_of_local(local)
    return month_start_day(local)


def utc(day, zone):
    """The instant local date `day` begins in `zone` (midnight always exists in Europe)."""
    return datetime.combine(day, datetime.min.time()).replace(tzinfo=zone).astimezone(UTC)


class id_list(FunctionElement):
    """Aggregate: the integers of a group as text, separated by commas, in any order. Sets
    of members travel from the database as one string per group, not as a row per member."""

    type = String()
    name = "id_list"
    inherit_cache = True
    distinct = False


class distinct_id_list(id_list):
    """id_list with each integer once."""

    name = "distinct_id_list"
    inherit_cache = True
    distinct = True


@compiles(id_list)
def _id_list_sqlite(element, compiler, **kw):
    value = compiler.process(element.clauses, **kw)
    # SQLite takes no separator with DISTINCT; its default is the comma.
    if element.distinct:
        return f"group_concat(DISTINCT {value})"
    return f"group_concat({value}, ',')"


@compiles(id_list, "postgresql")
def _id_list_postgresql(element, compiler, **kw):
    value = compiler.process(element.clauses, **kw)
    distinct = "DISTINCT " if element.distinct else ""
    return f"string_agg({distinct}CAST({value} AS TEXT), ',')"


def total(value):
    """SQL: the sum of an integer expression as an integer on both engines (PostgreSQL sums
    bigints as numeric)."""
    return cast(func.sum(value), BigInteger)
