"""The build compiles the translations into the package (`pip install .`, a wheel): the
compiled catalogues are built, not kept in git, and without them every page is English."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path("coworking") / "translations"


class build_py_with_catalogues(build_py):
    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for source in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
            target = Path(self.build_lib) / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as po:
                catalog = read_po(po, locale=source.parts[-3])
            with target.open("wb") as mo:
                write_mo(mo, catalog)


setup(cmdclass={"build_py": build_py_with_catalogues})
