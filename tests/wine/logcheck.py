#!/usr/bin/env python3
"""Check a JSON-lines log written by sharewall.dll against the `#log`
directives of a scenario file (tests/wine/README.md).

    #log N key=value ...      exactly N records have every key=value
                              (values compared as the JSON text would
                              read: true/false, numbers, strings as-is;
                              key~=text means the string contains text)
    #stress-log PREFIX        the records of the stress run whose "raw"
                              name starts with PREFIX add up to the
                              operations mprsim counted: connected records
                              (plus the suppressed counts they carry) ==
                              ok, vetoed (+ suppressed) == cancelled

usage: logcheck.py SCENARIO LOG MPRSIM-OUTPUT
Exit 0 when every directive holds; prints each failure otherwise.
"""
import json
import re
import sys


def load_records(path):
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.endswith("\n"):
                    raise SystemExit(f"{path}:{number}: line not terminated (torn write?)")
                records.append(json.loads(line))
    except FileNotFoundError:
        pass
    return records


def as_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(as_text(v) for v in value)
    return str(value)


def matches(record, conditions):
    for key, op, want in conditions:
        if key not in record:
            if want == "" and op == "=":
                continue  # key=  means "absent or empty"
            return False
        got = as_text(record[key])
        if op == "=" and got != want:
            return False
        if op == "~=" and want not in got:
            return False
    return True


CONDITION = re.compile(r'\s*([A-Za-z_]+)(~=|=)(?:"([^"]*)"|(\S*))')


def parse_conditions(text):
    """key=value key~=value key="value with spaces" (no escapes: names
    are full of backslashes)."""
    out, at = [], 0
    text = text.rstrip()
    while at < len(text):
        m = CONDITION.match(text, at)
        if not m:
            raise SystemExit(f"bad condition at {text[at:]!r}")
        value = m.group(3) if m.group(3) is not None else m.group(4)
        out.append((m.group(1), m.group(2), value))
        at = m.end()
    return out


def stress_counts(output_path):
    with open(output_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("stress:"):
                return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    raise SystemExit("no stress line in the mprsim output")


def main():
    scenario, log_path, output_path = sys.argv[1:4]
    records = load_records(log_path)
    failures = 0
    with open(scenario, encoding="utf-8") as f:
        directives = [(n, l.rstrip("\n")) for n, l in enumerate(f, 1)]
    for number, line in directives:
        where = f"{scenario}:{number}"
        if line.startswith("#log "):
            parts = line.split(maxsplit=2)
            want = int(parts[1])
            text = parts[2] if len(parts) > 2 else ""
            got = sum(1 for r in records if matches(r, parse_conditions(text)))
            if got != want:
                failures += 1
                print(f"FAIL {where}: {got} records match {text or '(any)'}, expected {want}")
                for r in records:
                    print("   ", json.dumps(r))
            else:
                print(f"ok   {where}: {want} x {text or '(any)'}")
        elif line.startswith("#stress-log "):
            prefix = line.split(maxsplit=1)[1]
            counts = stress_counts(output_path)
            mine = [r for r in records if r.get("raw", "").startswith(prefix)]
            connected = sum(1 + r.get("suppressed", 0) for r in mine if r["event"] == "connected")
            vetoed = sum(1 + r.get("suppressed", 0) for r in mine if r["event"] == "vetoed")
            other = [r for r in mine if r["event"] not in ("connected", "vetoed")]
            ok = connected == counts["ok"] and vetoed == counts["cancelled"] and not other
            print(f"{'ok  ' if ok else 'FAIL'} {where}: log has {connected} connected + {vetoed} vetoed "
                  f"(+{len(other)} other) for {counts['ok']} allowed + {counts['cancelled']} cancelled operations")
            failures += 0 if ok else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
