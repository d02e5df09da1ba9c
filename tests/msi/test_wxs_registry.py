#!/usr/bin/env python3
"""Checks the registry rows of installer/sharewall.wxs against the DLL.

- the Notifyees value and the Event Log source use the key paths and source
  name in src/win/config_names.h, are REG_EXPAND_SZ in the built MSI (the
  Registry table's "#%" prefix: wixl 0.101 does not add it for
  Type="expandable"), and point at %SystemRoot%\\System32\\sharewall.dll;
- every installer default under SWD_REG_INSTALLER_KEY is a value the DLL
  reads, with a registry type it accepts, and PolicyPath is the DLL's own
  default;
- every registry component is Win64 (the DLL reads the 64-bit view, also
  from 32-bit processes).

Then the checker is run on broken copies to show it notices each problem.
Usage: test_wxs_registry.py [ROOT]
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checker  # noqa: E402
import config_names  # noqa: E402

Q = "{http://schemas.microsoft.com/wix/2006/wi}"
DLL = r"%SystemRoot%\System32\sharewall.dll"
EVENTLOG_APP = "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\"


def msi_type(rv):
    """(registry type, data) as Windows Installer will write the row."""
    t, v = rv.get("Type"), rv.get("Value") or ""
    if t == "integer":
        return "REG_DWORD", v
    if v.startswith("#%"):
        return "REG_EXPAND_SZ", v[2:]
    if t == "expandable":
        return "REG_SZ (Type=expandable without the #% prefix)", v
    return "REG_SZ", v


def check(wxs_text, header_text):
    errors = []
    names = config_names.parse(header_text)
    try:
        root = ET.fromstring(wxs_text)
    except ET.ParseError as e:
        return [f"sharewall.wxs:{e.position[0]}: not well-formed: {e}"]
    rows = {}
    for comp in root.iter(Q + "Component"):
        for rv in comp.iter(Q + "RegistryValue"):
            key, name = rv.get("Key"), rv.get("Name")
            where = f"sharewall.wxs: {rv.get('Root')}\\{key}\\{name}"
            if rv.get("Root") != "HKLM":
                errors.append(f"{where}: the DLL reads HKLM only")
            if comp.get("Win64") != "yes":
                errors.append(f"{where}: component {comp.get('Id')} is not Win64 "
                              "(would land in WOW6432Node)")
            rows[(key, name)] = msi_type(rv)

    def expect(key, name, regtype, data):
        got = rows.get((key, name))
        if got is None:
            errors.append(f"sharewall.wxs writes no HKLM\\{key}\\{name}")
        elif got != (regtype, data):
            errors.append(f"HKLM\\{key}\\{name}: writes {got}, expected {(regtype, data)}")

    expect(names.string("SWD_REG_NOTIFYEES_KEY"), "sharewall", "REG_EXPAND_SZ", DLL)
    source_key = EVENTLOG_APP + names.string("SWD_EVENT_SOURCE")
    expect(source_key, "EventMessageFile", "REG_EXPAND_SZ", DLL)
    expect(source_key, "TypesSupported", "REG_DWORD", "7")
    installer_key = names.string("SWD_REG_INSTALLER_KEY")
    expect(installer_key, "PolicyPath", "REG_EXPAND_SZ",
           names.string("SWD_DEFAULT_POLICY_PATH"))
    expect(installer_key, "Enabled", "REG_DWORD", "1")
    for (key, name), (regtype, _) in sorted(rows.items()):
        if key != installer_key:
            continue
        spec = names.values.get(name)
        if spec is None:
            errors.append(f"installer default {name} is not a value the DLL reads")
        elif regtype not in spec.types:
            errors.append(f"installer default {name} is {regtype}; the DLL accepts "
                          f"{' or '.join(sorted(spec.types))}")
    known = {names.string("SWD_REG_NOTIFYEES_KEY"), source_key, installer_key}
    for key, name in sorted(rows):
        if key not in known:
            errors.append(f"sharewall.wxs writes HKLM\\{key}\\{name}, which nothing reads")
    return errors


def mutations(wxs, header):
    """Divergences the checker must notice."""
    return {
        "plain REG_SZ registration": (wxs.replace('Value="#%%SystemRoot%', 'Value="%SystemRoot%', 1),
                                      header),
        "renamed default": (wxs.replace('Name="Enabled"', 'Name="Enable"'), header),
        "32-bit registry view": (re.sub(r'(Id="InstallerDefaults"[^>]*)Win64="yes"',
                                        r'\1Win64="no"', wxs), header),
        "wrong default path": (wxs.replace(r"#%%ProgramData%\sharewall\policy.yaml",
                                           r"#%%ProgramData%\sharewall\policy.yml"), header),
    }


if __name__ == "__main__":
    sys.exit(checker.run("test_wxs_registry", ("installer/sharewall.wxs", "src/win/config_names.h"),
                         check, mutations))
