"""Statistical disclosure control: no published figure rests on fewer than RESEARCH_MIN_CELL
distinct members, and no suppressed figure can be recovered from published totals.

Primary: a cell (a row of figures) with fewer than k distinct members is suppressed. A cell
no member appears in (a day nobody came) withholds nothing and is published as its zeros.
Secondary: where published cells add up to a published total (the days of a week or of a
month; the presence cells of a space, whose hours add up to its visit hours; the answers to
one profile question in a town), a group with exactly one suppressed cell would give it away
by subtraction, so its smallest other cell with members in it is suppressed too (hiding a
zero would hide nothing), repeated until no group has exactly one.
"""


def primary(cells, min_cell, members="unique_members"):
    for cell in cells:
        cell["suppressed"] = 0 < cell[members] < min_cell


def secondary(groups, members="unique_members"):
    """`groups`: lists of cells (dicts with `suppressed`) that add up to a published total.
    Returns how many cells it suppressed."""
    added = 0
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [cell for cell in group if cell["suppressed"]]
            shown = [cell for cell in group if not cell["suppressed"] and cell[members]]
            if len(hidden) == 1 and shown:
                smallest = min(shown, key=lambda cell: cell[members])
                smallest["suppressed"] = True
                added += 1
                changed = True
    return added


def blank(cell, keep=()):
    """A suppressed cell publishes its keys and `suppressed`, every figure as null."""
    if cell["suppressed"]:
        for name in cell:
            if name not in keep and name != "suppressed":
                cell[name] = None
    return cell
