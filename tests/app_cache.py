"""What each new app of the tests borrows from the apps made before it in the same process.

Almost every test makes its own app, and an app compiles its URL rules when made and each
template when first rendered. Both take far longer than the test's own work, and neither
depends on the app, so the tests compile each once per process:

- URL rules (`install`): werkzeug parses a rule into the parts the matcher uses and compiles
  two small Python functions for `url_for` (an AST, then `compile`), about nine tenths of
  `create_app`'s time (some 75 ms a test). What it makes depends only on the rule's text, its
  options and the converters it names: the functions reach the rule's converters through their
  `self` argument, and the standard converters keep nothing of the map they were made for that
  they use. So an equal rule of an earlier app lends its results. Rules of a map with
  converters of its own, and rules whose defaults fill a part of the path, are left to
  werkzeug.
- SQL (`share_dialect`): SQLAlchemy compiles each statement once per dialect and keeps it in
  caches keyed by the dialect object: the engine's own, and each mapper's for its INSERTs
  and UPDATEs. A test's engine was new, and so were its cache and its dialect: every
  statement was compiled again in every test, about a third of a database-heavy test's
  time. Every app engine of a test process talks to the same kind of database with the same
  options, so they share the dialect of the first (its class, driver and settings are the
  same; each engine's pool keeps its own connections and events) and one statement cache.
- Templates (`share_templates`): Jinja compiles a template's source to Python code for each
  new environment. Every test app's environment is configured alike, so they share one
  bytecode cache, which Jinja keys by the template's name and a checksum of its source.

The production server makes its app once, so this lives with the tests only.
"""
from jinja2 import BytecodeCache
from sqlalchemy.util import LRUCache
from werkzeug.routing import Map
from werkzeug.routing.rules import Rule

_compile = Rule.compile
_compiled = {}


def _cached_compile(self):
    if self.map.converters != Map.default_converters:
        return _compile(self)
    defaults = self.defaults or {}
    key = (self.rule, self.subdomain, self.host, self.map.host_matching, self.merge_slashes,
           tuple(defaults))
    found = _compiled.get(key)
    if found is None:
        _compile(self)
        if not set(defaults) & set(self._converters):
            _compiled[key] = (tuple(self._parts), tuple(self._trace), dict(self._converters),
                              self._build.__func__, self._build_unknown.__func__)
        return None
    parts, trace, converters, build, build_unknown = found
    self._parts = list(parts)
    self._trace = list(trace)
    self._converters = dict(converters)
    self.arguments.update(converters)
    self._build = build.__get__(self, None)
    self._build_unknown = build_unknown.__get__(self, None)
    return None


def install():
    Rule.compile = _cached_compile


class _Memory(BytecodeCache):
    """Compiled templates in this process's memory."""

    def __init__(self):
        self._code = {}

    def load_bytecode(self, bucket):
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


_templates = _Memory()


_dialects = {}


_statements = LRUCache(5000)


def share_dialect(engine):
    """Let `engine` use the dialect of the first engine of its kind in this process, and the
    statements compiled for it."""
    kind = (type(engine.dialect), engine.url.get_backend_name(), engine.url.get_driver_name())
    shared = _dialects.get(kind)
    if shared is None:
        # A dialect learns the server's version and features on its engine's first connection;
        # only a dialect that has is lent out, as later engines would not teach it.
        with engine.connect():
            pass
        shared = _dialects[kind] = engine.dialect
    # The pool asks the dialect too (ping, rollback, close): the engine's and the pool's agree.
    engine.dialect = engine.pool._dialect = shared
    engine.update_execution_options(compiled_cache=_statements)
    return engine


def share_templates(app):
    app.jinja_env.bytecode_cache = _templates
    return app
