"""A server without the compiled translations would serve every page in English and nothing
would say so: the app refuses to start without them, and the package build compiles them."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.support import Translations

from coworking import create_app
from tests.factories import make_config

REPO = Path(__file__).resolve().parents[2]
GERMAN_PO = REPO / "coworking" / "translations" / "de" / "LC_MESSAGES" / "messages.po"


def test_the_app_refuses_to_start_without_the_compiled_german_catalogue(tmp_path):
    uncompiled = tmp_path / "translations" / "de" / "LC_MESSAGES"
    uncompiled.mkdir(parents=True)
    shutil.copy(GERMAN_PO, uncompiled)
    config = make_config(f"sqlite:///{tmp_path}/db.sqlite",
                         BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    with pytest.raises(RuntimeError, match="pybabel compile -d coworking/translations"):
        create_app(config)


def test_an_english_only_installation_needs_no_catalogue(tmp_path):
    config = make_config(f"sqlite:///{tmp_path}/db.sqlite", LANGUAGES=("en",),
                         BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "none"))
    assert create_app(config)


def test_the_wheel_carries_the_compiled_catalogue(tmp_path):
    """Built from a copy without any .mo file, as `pip install .` from a fresh checkout."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO / name, source)
    shutil.copytree(REPO / "coworking", source / "coworking",
                    ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                            "-w", str(tmp_path / "dist"), str(source)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("coworking-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "installed")
    translations = Translations.load(tmp_path / "installed" / "coworking" / "translations",
                                     ["de"])
    assert translations.gettext("This page does not exist.") == "Diese Seite gibt es nicht."
