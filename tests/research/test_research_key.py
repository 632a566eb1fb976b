"""RESEARCH_KEY keys the pseudonyms: development has a value of its own, production only the
one it is given (its export refuses to run without one, see test_research_api)."""
from config import Config


def test_production_has_no_research_key_unless_given(monkeypatch):
    for name in ("COWORKING_ENV", "FLASK_DEBUG", "RESEARCH_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    assert Config().RESEARCH_KEY is None
    monkeypatch.setenv("RESEARCH_KEY", "the programme's key")
    assert Config().RESEARCH_KEY == "the programme's key"


def test_development_brings_its_own(monkeypatch):
    monkeypatch.delenv("RESEARCH_KEY", raising=False)
    monkeypatch.setenv("COWORKING_ENV", "development")
    assert Config().RESEARCH_KEY == "dev-only-research-key"
