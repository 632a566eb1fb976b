"""Disclosure control: fewer than RESEARCH_MIN_CELL members hide a row; a single hidden day
of a published week or month takes another with it."""
from datetime import date

from coworking.research import calendar, disclosure, stats


def days_of(app, k, first, last):
    app.config["RESEARCH_MIN_CELL"] = k
    rows = stats.space_metrics(calendar.scope(first, last))
    return {g: {r["period_start"]: r for r in found} for g, found in rows.items()}


def test_a_row_of_k_members_is_published_and_one_of_k_minus_one_is_not(app, dst_week):
    # Monday the 22nd rests on three members.
    shown = days_of(app, 3, date(2027, 3, 22), date(2027, 3, 22))["day"]["2027-03-22"]
    assert not shown["suppressed"] and shown["visits"] == 1
    hidden = days_of(app, 4, date(2027, 3, 22), date(2027, 3, 22))["day"]["2027-03-22"]
    assert hidden["suppressed"]
    assert {name for name, value in hidden.items() if value is not None} == \
        {"space", "granularity", "period_start", "period_end", "open_desk_hours", "suppressed"}


def test_a_day_is_hidden_alike_whichever_window_asks_for_it(app, dst_week):
    # k = 2: the 27th rests on u4 alone. Asked alone or with its whole month, it is hidden
    # the same, and so is every other day.
    month = days_of(app, 2, date(2027, 3, 1), date(2027, 3, 31))["day"]
    for day in ("2027-03-22", "2027-03-23", "2027-03-27"):
        alone = days_of(app, 2, date.fromisoformat(day), date.fromisoformat(day))["day"]
        assert alone[day] == month[day]
    assert month["2027-03-27"]["suppressed"] and not month["2027-03-22"]["suppressed"]


def test_secondary_suppression_repeats_until_no_group_has_exactly_one():
    cells = [{"unique_members": n, "name": name} for name, n in
             (("a", 2), ("b", 9), ("c", 7), ("d", 8))]
    disclosure.primary(cells, 5)
    week, month = [cells[0], cells[1]], cells
    assert disclosure.secondary([week, month]) == 1
    assert [c["suppressed"] for c in cells] == [True, True, False, False]
    # The month now has two hidden days: nothing more to do.
    assert disclosure.secondary([week, month]) == 0


def test_nobody_is_no_secret_and_never_the_second_cell_hidden():
    # A month of a day with two members, three empty days and two busy ones.
    cells = [{"unique_members": n, "name": name} for name, n in
             (("small", 2), ("e1", 0), ("e2", 0), ("e3", 0), ("busy", 6), ("busier", 9))]
    disclosure.primary(cells, 5)
    assert [c["suppressed"] for c in cells] == [True, False, False, False, False, False]
    # Hiding an empty day would hide nothing: the smallest day with members goes instead.
    assert disclosure.secondary([cells]) == 1
    assert [c["name"] for c in cells if c["suppressed"]] == ["small", "busy"]
