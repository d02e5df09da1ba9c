#!/usr/bin/env python3
"""Checks installer/admx/sharewall.admx and en-US/sharewall.adml.

- both are well-formed XML in the PolicyDefinitions namespace;
- every $(string.X) and $(presentation.X) the ADMX uses exists in the ADML,
  every presentation control matches its element's kind, every category and
  supportedOn reference resolves, and the ADML has no unused strings;
- every policy writes under HKLM\\<SWD_REG_POLICIES_KEY> exactly the value
  names, registry types and enum data that src/win/config_names.h declares,
  and every value the DLL reads can be set by some policy;
- every explain text names its registry value and type, so an admin can
  check a client with regedit.

Then the checker is run on broken copies (a renamed value, a lost
expandable flag, a missing string, a changed header type...) to show it
notices each (checker.py). Exit status 0 when all is well, 1 otherwise.

Usage: test_admx.py [ROOT]   (ROOT: the source tree, default ../.. from here)
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checker  # noqa: E402
import config_names  # noqa: E402

NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
Q = "{%s}" % NS
REF = re.compile(r"^\$\((string|presentation)\.([A-Za-z0-9_.]+)\)$")
# ADMX element kind -> the ADML presentation control that edits it.
CONTROL = {"text": "textBox", "enum": "dropdownList", "decimal": "decimalTextBox",
           "boolean": "checkBox", "list": "listBox", "multiText": "multiTextBox"}


def parse_xml(text, where, errors):
    try:
        return ET.fromstring(text)
    except ET.ParseError as e:
        line, col = e.position
        errors.append(f"{where}:{line}:{col + 1}: not well-formed XML: {e}")
        return None


def ref_id(attr, kind, where, errors):
    m = REF.match(attr or "")
    if not m or m.group(1) != kind:
        errors.append(f"{where}: expected $({kind}.ID), got {attr!r}")
        return None
    return m.group(2)


def value_type(value_elem):
    """Registry type written by an <enabledValue>/<item><value> body."""
    child = list(value_elem)[0] if len(value_elem) else None
    if child is None:
        return None, None
    tag = child.tag.replace(Q, "")
    if tag == "decimal":
        return "REG_DWORD", child.get("value")
    if tag == "string":
        return "REG_SZ", child.text or ""
    if tag == "delete":
        return "delete", None
    return tag, None


def check(admx_text, adml_text, header_text, admx_name="sharewall.admx",
          adml_name="en-US/sharewall.adml"):
    errors = []
    try:
        names = config_names.parse(header_text)
    except ValueError as e:
        return [str(e)]
    policies_key = names.string("SWD_REG_POLICIES_KEY")
    admx = parse_xml(admx_text, admx_name, errors)
    adml = parse_xml(adml_text, adml_name, errors)
    if admx is None or adml is None:
        return errors

    if admx.tag != Q + "policyDefinitions":
        errors.append(f"{admx_name}: root is {admx.tag}, expected {Q}policyDefinitions")
    if adml.tag != Q + "policyDefinitionResources":
        errors.append(f"{adml_name}: root is {adml.tag}, expected {Q}policyDefinitionResources")
    for root, name in ((admx, admx_name), (adml, adml_name)):
        for attr in ("revision", "schemaVersion"):
            if not root.get(attr):
                errors.append(f"{name}: root has no {attr}")
    target = admx.find(f"{Q}policyNamespaces/{Q}target")
    if target is None or not target.get("prefix") or not target.get("namespace"):
        errors.append(f"{admx_name}: policyNamespaces/target needs prefix and namespace")
    if admx.find(f"{Q}resources") is None:
        errors.append(f"{admx_name}: no <resources minRequiredRevision=...>")

    strings = {s.get("id"): (s.text or "") for s in adml.iter(Q + "string")}
    presentations = {p.get("id"): p for p in adml.iter(Q + "presentation")}
    used_strings = set()

    def need_string(attr, where):
        sid = ref_id(attr, "string", where, errors)
        if sid is None:
            return ""
        used_strings.add(sid)
        if sid not in strings:
            errors.append(f"{where}: string {sid} is not in {adml_name}")
            return ""
        if not strings[sid].strip():
            errors.append(f"{where}: string {sid} is empty")
        return strings[sid]

    categories = set()
    for cat in admx.iter(Q + "category"):
        categories.add(cat.get("name"))
        need_string(cat.get("displayName"), f"category {cat.get('name')}")
        if cat.get("explainText"):
            need_string(cat.get("explainText"), f"category {cat.get('name')}")
    if "Sharewall" not in categories:
        errors.append(f"{admx_name}: no 'Sharewall' category")
    supported = set()
    for d in admx.iter(Q + "definition"):
        supported.add(d.get("name"))
        need_string(d.get("displayName"), f"supportedOn {d.get('name')}")

    written = {}  # value name -> (policy, set of types, set of string data)

    def record(policy, value, regtype, data=None):
        if value is None:
            errors.append(f"policy {policy}: an element has no valueName")
            return
        entry = written.setdefault(value, (policy, set(), set()))
        if entry[0] != policy:
            errors.append(f"value {value} is written by policies {entry[0]} and {policy}")
        entry[1].add(regtype)
        if data is not None:
            entry[2].add(data)

    for pol in admx.iter(Q + "policy"):
        pname = pol.get("name")
        where = f"{admx_name}: policy {pname}"
        if pol.get("class") != "Machine":
            errors.append(f"{where}: class must be Machine (the DLL reads HKLM only)")
        if pol.get("key") != policies_key:
            errors.append(f"{where}: key {pol.get('key')!r}, the DLL reads {policies_key!r}")
        need_string(pol.get("displayName"), where)
        explain = need_string(pol.get("explainText"), where)
        parent = pol.find(f"{Q}parentCategory")
        if parent is None or parent.get("ref") not in categories:
            errors.append(f"{where}: parentCategory missing or unknown")
        sup = pol.find(f"{Q}supportedOn")
        if sup is None or sup.get("ref") not in supported:
            errors.append(f"{where}: supportedOn missing or not defined")

        policy_values = []  # (value name, type) this policy writes
        for tag in ("enabledValue", "disabledValue"):
            v = pol.find(Q + tag)
            if v is not None:
                regtype, data = value_type(v)
                if not pol.get("valueName"):
                    errors.append(f"{where}: {tag} without valueName")
                    continue
                record(pname, pol.get("valueName"), regtype,
                       data if regtype == "REG_SZ" else None)
                policy_values.append((pol.get("valueName"), regtype))

        elements = pol.find(Q + "elements")
        children = list(elements) if elements is not None else []
        pres = None
        if children:
            pid = ref_id(pol.get("presentation"), "presentation", where, errors)
            pres = presentations.get(pid)
            if pid is not None and pres is None:
                errors.append(f"{where}: presentation {pid} is not in {adml_name}")
        for el in children:
            kind = el.tag.replace(Q, "")
            eid = el.get("id")
            if el.get("key") not in (None, policies_key):
                errors.append(f"{where}: element {eid} writes key {el.get('key')!r}")
            if kind == "text":
                regtype = "REG_EXPAND_SZ" if el.get("expandable") == "true" else "REG_SZ"
                record(pname, el.get("valueName"), regtype)
                policy_values.append((el.get("valueName"), regtype))
            elif kind == "enum":
                for item in el.findall(Q + "item"):
                    need_string(item.get("displayName"), f"{where}: enum {eid}")
                    regtype, data = value_type(item.find(Q + "value"))
                    record(pname, el.get("valueName"), regtype,
                           data if regtype == "REG_SZ" else None)
                    policy_values.append((el.get("valueName"), regtype))
            elif kind in ("decimal", "boolean"):
                record(pname, el.get("valueName"), "REG_DWORD")
                policy_values.append((el.get("valueName"), "REG_DWORD"))
            else:
                errors.append(f"{where}: element kind {kind} is not handled by this check")
            if pres is not None:
                ctrl = [c for c in pres.iter() if c.get("refId") == eid]
                want = CONTROL.get(kind)
                if not ctrl:
                    errors.append(f"{where}: presentation has no control for element {eid}")
                elif ctrl[0].tag.replace(Q, "") != want:
                    errors.append(f"{where}: element {eid} ({kind}) is shown as "
                                  f"{ctrl[0].tag.replace(Q, '')}, expected {want}")
        if not policy_values:
            errors.append(f"{where}: writes no registry value")
        # Actionable explain text: name the value and its type, so an admin
        # can verify a client with regedit or "reg query".
        for value, regtype in set(policy_values):
            if f"{value} ({regtype}" not in explain:
                errors.append(f"{where}: explain text does not say '{value} ({regtype}...'")

    for p in presentations.values():
        for c in p.iter():
            if c.get("refId") and not any(el.get("id") == c.get("refId")
                                          for el in admx.iter()):
                errors.append(f"{adml_name}: presentation {p.get('id')} refers to "
                              f"unknown element {c.get('refId')}")
    for sid in sorted(set(strings) - used_strings):
        errors.append(f"{adml_name}: string {sid} is never used")

    # The cross-check with the DLL's names.
    for value, (policy, types, data) in sorted(written.items()):
        spec = names.values.get(value)
        if spec is None:
            errors.append(f"policy {policy} writes {value}, which the DLL does not read "
                          f"(config_names.h has {', '.join(sorted(names.values))})")
            continue
        for t in sorted(types - spec.types):
            errors.append(f"policy {policy} writes {value} as {t}; the DLL accepts "
                          f"{' or '.join(sorted(spec.types))}")
        if spec.choices is not None and data != set(spec.choices):
            errors.append(f"policy {policy} offers {value} = {sorted(data)}; the DLL "
                          f"accepts {sorted(spec.choices)}")
    for value in sorted(set(names.values) - set(written)):
        errors.append(f"no policy sets {value}, which the DLL reads ({names.values[value].macro})")

    default_path = names.strings.get("SWD_DEFAULT_POLICY_PATH")
    shown = [d.text for d in adml.iter(Q + "defaultValue")
             if d.text and d.text.endswith("policy.yaml")]
    if default_path and shown and shown[0] != default_path:
        errors.append(f"{adml_name}: PolicyPath default {shown[0]!r}, the DLL's is {default_path!r}")
    return errors


def mutations(admx, adml, header):
    """Divergences the checker must notice."""
    return {
        "renamed value": (admx.replace('valueName="Mode"', 'valueName="EnforceMode"'), adml, header),
        "lost expandable": (admx.replace('valueName="PolicyPath" expandable="true"',
                                         'valueName="PolicyPath"'), adml, header),
        "missing string": (admx, re.sub(r'<string id="LogPath">.*?</string>', "", adml,
                                        flags=re.S), header),
        "header type changed": (admx, adml, header.replace(
            'L"Enabled"        /* REG_DWORD', 'L"Enabled"        /* REG_SZ')),
        "enum data changed": (admx.replace("<string>audit</string>",
                                           "<string>monitor</string>"), adml, header),
        "malformed xml": (admx.replace("</policies>", "</policy>"), adml, header),
    }


if __name__ == "__main__":
    sys.exit(checker.run("test_admx", ("installer/admx/sharewall.admx",
                                       "installer/admx/en-US/sharewall.adml",
                                       "src/win/config_names.h"), check, mutations))
