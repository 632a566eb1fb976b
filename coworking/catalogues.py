"""The compiled translations (.mo files) are built, not kept in git. Without them every page
would be served in English and nothing would say so, so the app refuses to start."""
from pathlib import Path

SOURCE_LANGUAGE = "en"  # the strings in the code; it needs no catalogue


def compiled_catalogue(app, language):
    """The path of `language`'s compiled catalogue, or None when none is built."""
    directories = app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations").split(";")
    for directory in directories:
        path = Path(app.root_path) / directory / language / "LC_MESSAGES" / "messages.mo"
        if path.is_file():
            return path
    return None


def require_compiled(app):
    for language in app.config["LANGUAGES"]:
        if language == SOURCE_LANGUAGE:
            continue
        path = compiled_catalogue(app, language)
        if path is None:
            raise RuntimeError(
                f"The {language!r} translations are not compiled, so every page would be in "
                f"English: run `pybabel compile -d coworking/translations` (`make "
                f"translations`), or install from a wheel, which carries them.")
        source = path.with_suffix(".po")
        if source.is_file() and source.stat().st_mtime > path.stat().st_mtime:
            app.logger.warning("%s is older than %s: run `make translations` for the newest "
                               "texts", path, source.name)
