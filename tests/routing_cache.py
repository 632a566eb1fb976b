"""Compile each URL rule once per test process, not once per app.

Almost every test makes its own app, and werkzeug compiles every URL rule of it: it parses the
rule into the parts the matcher uses and compiles two small Python functions for `url_for` (an
AST, then `compile`). That was about nine tenths of `create_app`'s time, some 75 ms a test.
What it makes depends only on the rule's text, its options and the converters it names, never
on the app: the functions reach the rule's converters through their `self` argument, and the
standard converters keep nothing of the map they were made for that they use. So an equal rule
of an earlier app lends its results. Rules of a map with converters of its own, and rules whose
defaults fill a part of the path, are left to werkzeug.

The production server makes its app once, so this lives with the tests only.
"""
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
