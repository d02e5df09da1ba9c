#!/usr/bin/env python3
"""Generate realistic sharewall policies and request streams for benchmarks.

  gen.py policy N            a policy of N rules on stdout
  gen.py requests N COUNT    COUNT request names (one per line) for the
                             N-rule policy: matching and non-matching names,
                             a fifth of them bypass spellings

Deterministic (fixed seed) so every run measures the same work.

The rule mix follows what enterprise policies look like: mostly allow rules
for named file servers (single patterns and lists), share-specific denies
(admin shares), whole-UNC rules, WebDAV hosts, outside-domain denies, a rule
keyed on the caller's user (context), and a few staged rules.
"""
import random
import sys

DOMAIN = r"corp\.example\.com"


def rule(i):
    kind = i % 10
    n = f"{i:05d}"
    if kind in (0, 1, 2):
        return (f"r{n}", "allow", False,
                {"server": [f"fs{n}", f"fs{n}\\.{DOMAIN}"]})
    if kind == 3:
        return (f"r{n}", "allow", False,
                {"server": f"fs{n}", "share": ["finance", "hr", f"dept{n}"]})
    if kind == 4:
        return (f"r{n}", "deny", False,
                {"server": f"srv{n}", "share": r"admin\$|[a-z]\$"})
    if kind == 5:
        return (f"r{n}", "allow", False,
                {"unc": f"\\\\\\\\app{n}\\\\data(\\\\.*)?"})
    if kind == 6:
        return (f"r{n}", "allow", False,
                {"server": f"web{n}\\.{DOMAIN}", "scheme": "webdav"})
    if kind == 7:
        return (f"r{n}", "deny", False, {"server": f"ext{n}\\..*"})
    if kind == 8:
        return (f"r{n}", "allow", False,
                {"server": f"bk{n}", "user": f"CORP\\\\svc_{n}"})
    return (f"r{n}", "deny", True, {"server": f"lab{n}(\\..*)?"})


def yaml_str(s):
    return "'" + s.replace("'", "''") + "'"


def emit_policy(n, out):
    out.write("version: 1\nmode: enforce\ndefault: deny\non_error: deny\n")
    out.write("log: { allowed: true, vetoed: true, disconnects: false }\n")
    out.write("rules:\n")
    for i in range(n):
        rid, action, staged, match = rule(i)
        out.write(f"  - id: {rid}\n    action: {action}\n")
        if staged:
            out.write("    stage: true\n")
        out.write("    match:\n")
        for field, pat in match.items():
            if isinstance(pat, list):
                out.write(f"      {field}: [{', '.join(yaml_str(p) for p in pat)}]\n")
            else:
                out.write(f"      {field}: {yaml_str(pat)}\n")


def plain_name(rng, n):
    """A name aimed at rule i (or a host no rule knows), as written."""
    i = rng.randrange(n)
    tag = f"{i:05d}"
    kind = i % 10
    r = rng.random()
    if r < 0.15:  # a host no rule names
        return f"\\\\unknown{rng.randrange(10**6)}\\share{rng.randrange(100)}"
    if kind in (0, 1, 2, 3):
        host = rng.choice([f"fs{tag}", f"fs{tag}.corp.example.com"])
        share = rng.choice(["finance", "hr", "public", f"dept{tag}", "c$"])
        return f"\\\\{host}\\{share}\\reports\\q{rng.randrange(4) + 1}.xlsx"
    if kind == 4:
        return f"\\\\srv{tag}\\{rng.choice(['admin$', 'c$', 'data'])}"
    if kind == 5:
        return f"\\\\app{tag}\\{rng.choice(['data', 'logs'])}\\x{rng.randrange(9)}"
    if kind == 6:
        return f"\\\\web{tag}.corp.example.com@SSL\\DavWWWRoot\\docs"
    if kind == 7:
        return f"\\\\ext{tag}.{rng.choice(['attacker.net', 'example.org'])}\\share"
    if kind == 8:
        return f"\\\\bk{tag}\\backup"
    return f"\\\\lab{tag}.corp.example.com\\test"


def bypass(rng, name):
    """Re-spell a plain UNC name the way a user dodging a rule would."""
    assert name.startswith("\\\\")
    rest = name[2:]
    host, _, tail = rest.partition("\\")
    share, _, path = tail.partition("\\")
    trick = rng.randrange(7)
    if trick == 0:
        return f"\\\\?\\UNC\\{rest}"
    if trick == 1:
        return "//" + rest.replace("\\", "/")
    if trick == 2:
        return f"\\\\{host.upper()}\\{share.upper()}" + (f"\\{path}" if path else "")
    if trick == 3:
        return f"\\\\{host}.\\{share}" + (f"\\{path}" if path else "")
    if trick == 4:
        return f"\\\\{host}\\{share}\\..\\{share}" + (f"\\{path}" if path else "")
    if trick == 5:
        return f"\\\\.\\unc\\{host}\\\\{share}" + (f"\\{path}" if path else "")
    return f"\\\\{host}\\{share}. " + (f"\\{path}" if path else "")


def emit_requests(n, count, out):
    rng = random.Random(20261121)
    buf = []
    for k in range(count):
        name = plain_name(rng, n)
        if k % 5 == 4 and "@SSL" not in name:
            name = bypass(rng, name)
        buf.append(name)
        if len(buf) >= 10000:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")


def main(argv):
    if len(argv) >= 2 and argv[0] == "policy":
        emit_policy(int(argv[1]), sys.stdout)
    elif len(argv) >= 3 and argv[0] == "requests":
        emit_requests(int(argv[1]), int(argv[2]), sys.stdout)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
