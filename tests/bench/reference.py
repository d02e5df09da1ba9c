#!/usr/bin/env python3
"""A plain Python implementation of sharewall policy v1 — the comparison
baseline for the benchmarks, and the other side of a differential test.

    reference.py POLICY < names > decisions

Reads one bare remote name per line and prints "action<TAB>rule" per line
(rule = the deciding rule id, "default" or "malformed"), like
`sharewall test --batch` does. It is written the way an admin would script
it: yaml.safe_load, Python's `re` with IGNORECASE and fullmatch, an ordered
scan of every rule. Its canonicaliser covers the spellings the benchmark
streams use (device prefixes, / separators, case, trailing dots and spaces,
. and .., strict dotted-decimal IPv4 and loopback, @SSL/@port and
DavWWWRoot) — it is a baseline, not a second implementation of every rule
in docs/canonicalisation.md.
"""
import re
import sys

import yaml

FIELDS = ("unc", "server", "share", "path", "local", "provider", "scheme",
          "user", "group", "process")
SHARE_ILLEGAL = set('"*+,/:;<=>?[]|')


class Malformed(Exception):
    pass


def trim(seg):
    return seg.rstrip(". ")


def canon_host(host):
    if not host or not host.isascii():
        raise Malformed("host")
    if host.endswith("."):
        host = host[:-1]
    host = host.lower()
    if not host or host.endswith(".") or ".." in host:
        raise Malformed("host")
    if re.fullmatch(r"[0-9.]+", host) or re.fullmatch(r"0x[0-9a-f.x]*", host):
        parts = host.split(".")
        if len(parts) != 4 or any(p == "" or (len(p) > 1 and p[0] == "0") or int(p) > 255
                                  for p in parts):
            raise Malformed("ipv4")
        return ("localhost", True) if parts[0] == "127" else (host, False)
    if not re.fullmatch(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*", host):
        raise Malformed("host")
    return (host, host == "localhost")


def canonicalise(name):
    s = name.replace("/", "\\")
    low = s.lower()
    for prefix in ("\\\\?\\unc\\", "\\\\.\\unc\\", "\\??\\unc\\"):
        if low.startswith(prefix):
            s = "\\\\" + s[len(prefix):]
            if s.startswith("\\\\\\"):
                raise Malformed("separators")
            break
    else:
        if low.startswith(("\\\\?\\", "\\\\.\\", "\\??\\")):
            raise Malformed("device")
    if not s.startswith("\\\\") or s.startswith("\\\\\\"):
        raise Malformed("not unc")
    parts = [p for p in s[2:].split("\\") if p != ""]
    if not parts:
        raise Malformed("empty")
    scheme, host = "smb", parts[0]
    if "@" in host:
        scheme = "webdav"
        host, *tags = host.split("@")
        for tag in tags:
            if tag.lower() != "ssl" and not tag.isdigit():
                raise Malformed("webdav")
    host, _loopback = canon_host(host)
    rest = parts[1:]
    if rest and rest[0].lower() == "davwwwroot":
        scheme, rest = "webdav", rest[1:]
        if not rest:
            rest = ["DavWWWRoot"]
    if not rest:
        share = "DavWWWRoot" if scheme == "webdav" else "IPC$"
    else:
        share = trim(rest[0])
        if share in ("", ".", "..") or len(share) > 80 or SHARE_ILLEGAL & set(share) \
                or any(ord(c) < 32 for c in share):
            raise Malformed("share")
    path = []
    for seg in rest[1:]:
        if seg == ".":
            continue
        if seg == "..":
            if path:
                path.pop()
            continue
        seg = trim(seg)
        if ":" in seg or any(ord(c) < 32 for c in seg):
            raise Malformed("path")
        if seg:
            path.append(seg)
    p = "".join("\\" + seg for seg in path)
    return {"scheme": scheme, "server": host, "share": share, "path": p,
            "unc": f"\\\\{host}\\{share}{p}"}


def as_list(v):
    return v if isinstance(v, list) else [v]


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    rules = []
    for r in doc.get("rules", []):
        match = {}
        for field, pats in r["match"].items():
            if field == "group":
                match[field] = {g.lower() for g in as_list(pats)}
            else:
                match[field] = [re.compile(p, re.IGNORECASE) for p in as_list(pats)]
        rules.append((r["id"], r["action"], bool(r.get("stage", False)), match))
    return doc.get("default", "deny"), rules


def decide(default, rules, name, ctx):
    try:
        fields = canonicalise(name)
    except Malformed:
        return "deny", "malformed"
    fields.update(ctx)
    for rid, action, staged, match in rules:
        ok = True
        for field, pats in match.items():
            if field == "group":
                ok = any(g.lower() in pats for g in fields.get("groups", []))
            else:
                value = fields.get(field, "")
                ok = any(p.fullmatch(value) for p in pats)
            if not ok:
                break
        if ok and not staged:
            return action, rid
    return default, "default"


def main(argv):
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    default, rules = load(argv[0])
    out = sys.stdout
    for line in sys.stdin:
        name = line.rstrip("\r\n")
        action, rid = decide(default, rules, name, {})
        out.write(f"{action}\t{rid}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
