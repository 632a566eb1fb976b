"""Dependencies point one way: a package imports only packages below it, and the top-level
infrastructure modules (database, events, errors, clock, ...) import no package at all.

Read from the source with `ast`, so an import inside a function counts as much as one at the
top of a module.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "coworking"

# Lower first. A package may import itself and packages of a lower rank, never one of its
# own rank or higher. Web views live inside their package and follow its rank.
PACKAGE_RANKS = {
    "accounts": 0, "spaces": 0,
    # The legal sellers: spaces and plans refer to them by key, never by import.
    "operators": 0,
    "memberships": 1,
    # The member directory: profiles name a town; privacy exports and deletes them.
    "directory": 1,
    # Web Push: members' device subscriptions and `notify`, which notifications call beside
    # their e-mails; the service worker and the account page's section.
    "push": 1,
    # Each operator's pages (Impressum, privacy notice), filled from its data, and the web
    # app manifest.
    "site": 1,
    "bookings": 2,
    # The waiting list: accepting an offer books. Bookings reads its open offers only through
    # the edges in UPWARD_EDGES below.
    "waitlist": 3,
    # Seeing a space and its free desks (overview, day, week, time first): reads availability.
    "browse": 3,
    # Events in a space: their room is an ordinary booking; the host's day, the feeds and
    # research show them.
    "space_events": 2.5,
    "checkins": 3,
    # Invoices: issued when a payment settles (of a plan, or a booking's day pass); the
    # account page lists them through a template global.
    "invoicing": 3, "billing": 3, "calendars": 3,
    # Cancelling contracts (§ 312k BGB): ends memberships; reaches Stripe through the
    # online payments plug-in, not by importing billing.
    "contracts": 3,
    # Running a space: its changes cancel or move bookings.
    "management": 3,
    # Mail attaches calendar files and speaks of payments and check-ins.
    "notifications": 4,
    # A member's own data reads every package; deleting an account cancels bookings.
    "privacy": 4,
    # Research counts visits (check-ins) beside bookings.
    "research": 4,
    # Companies pay for bookings (a payer the booking service asks) on invoices on account.
    "companies": 4,
    "api": 5,
    # Health, readiness, metrics, request logs, backups: reads the figures of every package.
    "operations": 5,
}

# The only imports allowed against the ranks, each a module importing one module: an open
# waiting-list offer holds its resource against every other booking and on the grid, and the
# booking pages offer the waiting list when a slot is full and take an offer's day pass.
UPWARD_EDGES = {
    ("coworking/bookings/service.py", "coworking.waitlist.models.check_not_held"),
    ("coworking/bookings/service.py", "coworking.waitlist.models.held_until_sql"),
    ("coworking/bookings/changes.py", "coworking.waitlist.models.check_not_held"),
    ("coworking/bookings/availability.py", "coworking.waitlist.models.offered_rows"),
    ("coworking/bookings/availability.py", "coworking.waitlist.models.offered_starts"),
    ("coworking/bookings/views.py", "coworking.waitlist.service"),
    ("coworking/bookings/day_pass_views.py", "coworking.waitlist.service"),
}

# Top-level modules that assemble the whole and may therefore import everything; no package
# imports them. Every other top-level module is infrastructure: any package may import it,
# and it imports no package (only other infrastructure modules such as `extensions`).
EDGE_MODULES = {
    "__init__",    # create_app
    "cli",         # the users commands
    "seed",        # seed-demo: spaces and demo members
    "demo_history",  # seed-demo --history: past use for dashboards and the research export
    "errorpages",  # the error handlers the app factory registers
    "reactions",   # every subscriber, outbox handler and job, registered in one place
    "tables",      # every module that defines tables, for the metadata
}


def packages():
    return {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}


def top_level_modules():
    return {p.stem for p in ROOT.glob("*.py")}


def unit_of(dotted, modules, pkgs):
    """The package or top-level module a dotted name `coworking.x.y` belongs to."""
    parts = dotted.split(".")
    if parts[0] != "coworking":
        return None
    if len(parts) == 1:
        return ("module", "__init__")
    if parts[1] in pkgs:
        return ("package", parts[1])
    if parts[1] in modules:
        return ("module", parts[1])
    return ("module", "__init__")  # a name defined in coworking/__init__.py, e.g. create_app


def imported_names(path):
    """Dotted names a module imports, relative imports resolved, `from a import b` as a.b."""
    here = path.relative_to(ROOT.parent).with_suffix("").parts
    package = here if path.name == "__init__.py" else here[:-1]
    package = package[:-1] if package[-1:] == ("__init__",) else package
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ((base,) if base else ()))
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def wrong_way_imports():
    pkgs, modules = packages(), top_level_modules()
    unranked = pkgs - set(PACKAGE_RANKS)
    assert not unranked, f"give these packages a rank in PACKAGE_RANKS: {sorted(unranked)}"
    found = set()
    for path in sorted(ROOT.rglob("*.py")):
        importer = unit_of(".".join(path.relative_to(ROOT.parent).with_suffix("").parts),
                           modules, pkgs)
        kind, name = importer
        for dotted in imported_names(path):
            target = unit_of(dotted, modules, pkgs)
            if target is None or target == importer:
                continue
            target_kind, target_name = target
            if kind == "module" and name in EDGE_MODULES:
                continue
            if target_kind == "module" and target_name in EDGE_MODULES:
                wrong = True  # nothing imports the edge
            elif kind == "module":
                wrong = target_kind == "package"  # infrastructure imports no package
            else:
                wrong = target_kind == "package" and PACKAGE_RANKS[target_name] >= PACKAGE_RANKS[name]
            if wrong:
                found.add((str(path.relative_to(ROOT.parent)), dotted, name, target_name))
    return found


def test_no_module_imports_a_package_above_its_own():
    found = sorted(f"{path} imports {dotted}" for path, dotted, _importer, _target
                   in wrong_way_imports() if (path, dotted) not in UPWARD_EDGES)
    assert not found, "imports pointing the wrong way:\n" + "\n".join(found)


def test_every_allowed_upward_edge_is_still_there():
    """An edge that is gone is taken off the list, so the list never allows more than is used."""
    used = {(path, dotted) for path, dotted, _importer, _target in wrong_way_imports()}
    assert UPWARD_EDGES <= used, sorted(UPWARD_EDGES - used)


def test_the_check_sees_a_wrong_way_import(tmp_path, monkeypatch):
    """The walk itself: a spaces module importing bookings (relatively, inside a function) and
    an infrastructure module importing a package are caught; importing downwards is not."""
    fake = tmp_path / "coworking"
    for package in ("spaces", "bookings"):
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "clock.py").write_text("from coworking.extensions import db\n")
    (fake / "extensions.py").write_text("")
    (fake / "events.py").write_text("import coworking.bookings.events\n")
    (fake / "spaces" / "views.py").write_text("def f():\n    from ..bookings import availability\n")
    (fake / "bookings" / "service.py").write_text("from coworking.spaces import service\n"
                                                  "from coworking import clock\n")
    monkeypatch.setitem(globals(), "ROOT", fake)
    assert wrong_way_imports() == {
        ("coworking/spaces/views.py", "coworking.bookings.availability", "spaces", "bookings"),
        ("coworking/events.py", "coworking.bookings.events", "events", "bookings")}
