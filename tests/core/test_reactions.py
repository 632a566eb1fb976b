"""Every reaction to an event, every outbox handler and every job is registered in
coworking/reactions.py, so that one module shows all of them."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "coworking"
REGISTRARS = {("events", "subscribe"), ("outbox", "handle"), ("jobs", "register")}


def registrations_outside_the_wiring():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.name == "reactions.py" and path.parent == ROOT:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and (node.func.value.id, node.func.attr) in REGISTRARS):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


def test_nothing_registers_a_reaction_outside_the_wiring():
    assert registrations_outside_the_wiring() == []


def test_the_wiring_registers_every_job_the_commands_run(app):
    from coworking import jobs, reactions

    listed = {name for name, _func in reactions.JOBS + reactions.LAST_JOBS}
    assert set(jobs.JOBS) == listed
    assert "send-outbox" in listed and "offer-waitlist" in listed


def test_the_outbox_is_the_last_to_hear_of_an_event(app):
    """It stores what the others may have added to the event's unit; and mail subscribers
    run after the domain's own reactions."""
    from coworking import events, outbox, reactions

    assert reactions.SUBSCRIBERS[-1] == (events.Event, outbox.store)
    assert outbox.store in events.subscribers()[events.Event]
