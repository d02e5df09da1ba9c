"""Reads src/win/config_names.h, the DLL's list of registry names and types.

The header keeps one name per line, `#define NAME L"text"`, and marks each
registry *value* with its accepted types in a trailing comment:

    #define SWD_REG_MODE L"Mode"   /* REG_SZ: enforce | audit */

so the installer's tests can hold the ADMX template and the MSI's registry
rows to exactly what the DLL reads, without a second hand-kept list.
"""
import re

DEFINE = re.compile(
    r'^\s*#\s*define\s+(?P<macro>\w+)\s+L"(?P<text>(?:[^"\\]|\\.)*)"'
    r'\s*(?:/\*(?P<comment>.*?)\*/)?\s*$')
REG_TYPE = re.compile(r'\bREG_[A-Z_]+\b')
# "enforce | audit": the allowed string data, when the comment lists it.
CHOICES = re.compile(r'^\s*\w+(?:\s*\|\s*\w+)+\s*$')


class Value:
    def __init__(self, macro, name, types, choices):
        self.macro = macro        # SWD_REG_MODE
        self.name = name          # Mode
        self.types = types        # {"REG_SZ"}
        self.choices = choices    # ["enforce", "audit"] or None


class ConfigNames:
    def __init__(self, strings, values):
        self.strings = strings    # every macro -> unescaped text
        self.values = values      # value name -> Value

    def string(self, macro):
        if macro not in self.strings:
            raise KeyError(f"config_names.h defines no {macro}")
        return self.strings[macro]


def unescape_c(text):
    """The C string literal body as the compiler sees it (\\\\ and \\")."""
    return re.sub(r'\\(.)', r'\1', text)


def parse(text, where="config_names.h"):
    strings, values = {}, {}
    for lineno, line in enumerate(text.splitlines(), 1):
        m = DEFINE.match(line)
        if not m:
            continue
        macro, name = m.group("macro"), unescape_c(m.group("text"))
        strings[macro] = name
        comment = (m.group("comment") or "").strip()
        types = set(REG_TYPE.findall(comment.split(":", 1)[0]))
        if not types:
            continue  # a key path or other name, not a value
        choices = None
        if ":" in comment:
            rest = comment.split(":", 1)[1]
            if CHOICES.match(rest):
                choices = [c.strip() for c in rest.split("|")]
        if name in values:
            raise ValueError(f"{where}:{lineno}: value {name} defined twice")
        values[name] = Value(macro, name, types, choices)
    if not values:
        raise ValueError(f"{where}: no registry values found "
                         "(expected #define NAME L\"...\" /* REG_... */)")
    return ConfigNames(strings, values)


def load(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), path)
