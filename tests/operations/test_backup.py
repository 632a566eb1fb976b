"""`backup --out FILE` writes a consistent copy and `restore FILE` brings it back: a round
trip on the engine under test (SQLite's backup API, pg_dump/pg_restore on PostgreSQL)."""
import pytest
from sqlalchemy import select

from coworking.extensions import db
from coworking.spaces.models import Space


def slugs():
    db.session.remove()
    return set(db.session.scalars(select(Space.slug)))


def test_a_backup_comes_back(runner, make_space, tmp_path):
    make_space(slug="moelln")
    copy = tmp_path / "coworking.backup"
    result = runner.invoke(args=["backup", "--out", str(copy)])
    assert result.exit_code == 0, result.output
    assert copy.stat().st_size > 0
    assert not (tmp_path / "coworking.backup.partial").exists()

    make_space(slug="ratzeburg")
    db.session.execute(Space.__table__.update().where(Space.slug == "moelln")
                       .values(name="Renamed"))
    db.session.commit()
    assert slugs() == {"moelln", "ratzeburg"}

    result = runner.invoke(args=["restore", str(copy)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert slugs() == {"moelln", "ratzeburg"}

    result = runner.invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    assert slugs() == {"moelln"}
    assert db.session.scalar(select(Space.name).where(Space.slug == "moelln")) != "Renamed"
    # The restored database is a working one: new rows get new ids, the app can book.
    make_space(slug="wittenberge")
    assert slugs() == {"moelln", "wittenberge"}


@pytest.mark.parametrize("content", [b"", b"not a database at all"])
def test_restore_refuses_what_is_no_backup(runner, make_space, tmp_path, content):
    make_space(slug="moelln")
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(content)
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert slugs() == {"moelln"}


def test_restore_names_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "nothing.backup"), "--yes"])
    assert result.exit_code == 1
    assert "no such file" in result.output
