#!/usr/bin/env python3
"""CLI tests: run the built `sharewall` and assert on output and exit codes.

Each test_* function is one CTest test (tests/cli/CMakeLists.txt registers
every `def test_` it finds here). Run one by hand with
    cli_test.py --sharewall build/x/src/cli/sharewall --root . NAME
and regenerate the golden files after an intended output change with
    cli_test.py ... --update-golden NAME
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading

SKIP = 77  # CTest SKIP_RETURN_CODE

ARGS = None
ALLOWLIST = "examples/policies/allowlist-fileservers.yaml"
ADMIN = "examples/policies/block-admin-shares.yaml"
BACKUP = "examples/policies/backup-exception.yaml"
WEBDAV = "examples/policies/block-webdav-external.yaml"
ROLLOUT = "examples/policies/audit-rollout.yaml"
SAMPLE_LOG = "examples/logs/sample.jsonl"


class Skip(Exception):
    pass


def path(rel):
    return os.path.join(ARGS.root, rel)


def run(*argv, stdin=None, expect=None):
    """Run sharewall with argv (relative to the source root); returns the
    CompletedProcess. expect: the exit code it must have."""
    p = subprocess.run([ARGS.sharewall] + list(argv), cwd=ARGS.root, input=stdin,
                       capture_output=True, text=True)
    if expect is not None and p.returncode != expect:
        raise AssertionError("sharewall %s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s"
                             % (" ".join(argv), p.returncode, expect, p.stdout, p.stderr))
    return p


def contains(text, *needles):
    for n in needles:
        if n not in text:
            raise AssertionError("expected %r in:\n%s" % (n, text))


def lacks(text, *needles):
    for n in needles:
        if n in text:
            raise AssertionError("did not expect %r in:\n%s" % (n, text))


def equal(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, expected %r" % (what, got, want))


def golden(name, text):
    """Compare with tests/cli/golden/NAME (or rewrite it with --update-golden)."""
    file = path(os.path.join("tests", "cli", "golden", name))
    if ARGS.update_golden:
        with open(file, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        return
    with open(file, encoding="utf-8") as f:
        want = f.read()
    if text != want:
        import difflib
        diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                            "golden/" + name, "output"))
        raise AssertionError("output differs from golden/%s:\n%s" % (name, diff))


def tsv_rows(stdout):
    return [line.split("\t") for line in stdout.splitlines() if not line.startswith("#")]


# --------------------------------------------------------------------------
# main: help, version, dispatch errors
# --------------------------------------------------------------------------

def test_version():
    p = run("--version", expect=0)
    equal(p.stdout, "sharewall 0.1.0\n", "--version")


def test_help():
    p = run("--help", expect=0)
    contains(p.stdout, "usage: sharewall COMMAND", "check", "test", "explain", "canon", "replay")
    for cmd in ("check", "test", "explain", "canon", "replay"):
        p = run(cmd, "--help", expect=0)
        contains(p.stdout, "usage: sharewall " + cmd, "exit:")
        equal(p.stderr, "", cmd + " --help stderr")
        equal(run("help", cmd, expect=0).stdout, p.stdout, "help " + cmd)


def test_no_arguments():
    p = run(expect=2)
    contains(p.stderr, "usage: sharewall COMMAND")
    equal(p.stdout, "", "stdout")


def test_unknown_command():
    p = run("frobnicate", expect=2)
    contains(p.stderr, "sharewall: unknown command 'frobnicate' (see 'sharewall --help')")
    p = run("--frob", expect=2)
    contains(p.stderr, "unknown option '--frob'")
    run("help", "frobnicate", expect=2)


def test_bad_flags():
    cases = [
        (("test", ALLOWLIST, r"\\a\b", "--frob"), "sharewall test: unknown option '--frob'"),
        (("test", ALLOWLIST, r"\\a\b", "--user"), "option '--user' needs a value"),
        (("check", "--strict=1", ALLOWLIST), "option '--strict' takes no value"),
        (("check",), "sharewall check: no policy file given"),
        (("test", ALLOWLIST), "no name given"),
        (("test",), "no policy file given"),
        (("test", ALLOWLIST, r"\\a\b", r"\\c\d"), "unexpected argument"),
        (("test", ALLOWLIST, r"\\a\b", "--batch", "-"), "give a NAME or --batch, not both"),
        (("explain", ALLOWLIST), "no name given"),
        (("explain", "--json", ALLOWLIST, r"\\a\b"), "unknown option '--json'"),
        (("canon",), "no name given"),
        (("canon", "--exit-code", r"\\a\b"), "unknown option '--exit-code'"),
        (("replay", ALLOWLIST), "no log file given"),
        (("replay", ALLOWLIST, SAMPLE_LOG, "--examples", "many"), "--examples needs a number"),
        (("replay", ALLOWLIST, SAMPLE_LOG, "--examples", "-1"), "--examples needs a number"),
    ]
    for argv, message in cases:
        p = run(*argv, expect=2)
        contains(p.stderr, message)
        equal(p.stdout, "", " ".join(argv) + " stdout")


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------

def test_check_ok():
    p = run("check", ALLOWLIST, "policy/default.yaml", expect=0)
    equal(p.stdout, "examples/policies/allowlist-fileservers.yaml: ok, 2 rules, 11 tests passed\n"
          "policy/default.yaml: ok, 2 rules, 4 tests passed\n", "summary")
    equal(p.stderr, "", "stderr")


def test_check_lint_warnings_and_failing_test():
    p = run("check", "tests/cli/data/lint.yaml", expect=1)
    golden("check-lint.stderr", p.stderr)
    f = "tests/cli/data/lint.yaml"
    contains(p.stderr,
             f + ": warning: on_error: on_error: allow lets through",
             f + ":11:5: warning: rules[1]: rule 'outside' denies by host under default: allow",
             ":10:27: warning: rules[0].match.server[1]: duplicate pattern 'fs\\d{2}' (already at line 10)",
             ":24:5: warning: rules[5]: rule 'never-reached' can never match: the earlier rule 'everything' (line 21)",
             ": warning: rules[2]: no test exercises rule 'staged-webdav'",
             ":20:20: warning: rules[3].match.path[0]: pattern may exhaust the match limit",
             ":30:5: error: tests[2]: test failed for '\\\\web\\public': expected allow (rule never-reached), got deny (rule everything)")
    # The staged rule does not shadow anything; the catch-all does.
    lacks(p.stderr, "rule 'everything' can never match", "rule 'slow' can never match")
    equal(p.stdout, f + ": FAILED, 0 errors, 1 test failed, 8 warnings\n", "summary")
    # Listed in file order, as an editor shows them (policy-wide ones first).
    positions = [tuple(int(x) for x in line.split(":")[1:3]) if line.split(":")[1].isdigit() else (0, 0)
                 for line in p.stderr.splitlines()]
    equal(positions, sorted(positions), "diagnostics in line order")


def test_check_strict():
    p = run("check", "tests/cli/data/warn-only.yaml", expect=0)
    contains(p.stderr, "warning: rules[0].match.server[2]: duplicate pattern 'fs01'")
    contains(p.stdout, "warn-only.yaml: ok, 1 rule, 2 tests passed, 1 warning")
    run("check", "--strict", "tests/cli/data/warn-only.yaml", expect=1)
    run("check", "tests/cli/data/warn-only.yaml", "--strict", expect=1)


def test_check_errors():
    p = run("check", "tests/cli/invalid/bad-action.yaml", "tests/cli/invalid/empty-match.yaml", expect=1)
    contains(p.stderr,
             "tests/cli/invalid/bad-action.yaml:4:13: error: rules[0].action: expected allow or deny, found 'block'",
             "tests/cli/invalid/empty-match.yaml:6:12: error: rules[0].match: ")
    equal(p.stdout, "tests/cli/invalid/bad-action.yaml: FAILED, 1 error\n"
          "tests/cli/invalid/empty-match.yaml: FAILED, 1 error\n", "summaries")


def test_check_fragments():
    p = run("check", "tests/cli/data/fragmented.yaml", expect=0)
    equal(p.stdout, "tests/cli/data/fragmented.yaml: ok, 2 rules, 2 tests passed\n", "summary")


def test_check_missing_file():
    p = run("check", "no/such/policy.yaml", expect=2)
    contains(p.stderr, "no/such/policy.yaml: error: ", "No such file")
    # A good file next to a missing one is still checked; the worst code wins.
    p = run("check", ALLOWLIST, "missing.yaml", expect=2)
    contains(p.stdout, "allowlist-fileservers.yaml: ok", "missing.yaml: FAILED")


def test_check_directory_as_file():
    with tempfile.TemporaryDirectory() as d:
        p = run("check", d, expect=2)
        contains(p.stderr, d + ": error: ", "directory")


def test_check_unreadable_file():
    # root reads a chmod 000 file anyway: drop to nobody for the run when
    # root, and skip (with the reason) where that is not possible.
    prefix = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            raise Skip("running as root without setpriv: chmod 000 does not stop root "
                       "(test_check_directory_as_file covers an unreadable path)")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)
        f = os.path.join(d, "p.yaml")
        shutil.copy(path(ALLOWLIST), f)
        os.chmod(f, 0)
        for argv, needle in ((["check", f], f + ": error: "),
                             (["test", f, r"\\fs01\x"], f + ": error: "),
                             (["test", ALLOWLIST, "--batch", f], "sharewall test: " + f + ": cannot open: "),
                             (["replay", ALLOWLIST, f], "sharewall replay: " + f + ": cannot open: ")):
            p = subprocess.run(prefix + [ARGS.sharewall] + argv, cwd=ARGS.root,
                               capture_output=True, text=True)
            equal(p.returncode, 2, " ".join(argv) + " exit code (stderr: %s)" % p.stderr)
            contains(p.stderr, needle, "ermission denied")


# --------------------------------------------------------------------------
# test (single)
# --------------------------------------------------------------------------

def test_test_single_text():
    p = run("test", ALLOWLIST, r"\\FS01.corp.example.com\Finance\..\x", expect=0)
    golden("test-allow.txt", p.stdout)
    contains(p.stdout, "decision:  allow\n", "rule:      file-servers\n",
             "canonical: \\\\fs01.corp.example.com\\Finance\\x\n")
    p = run("test", ALLOWLIST, r"\\10.1.2.3\finance", expect=0)
    contains(p.stdout, "decision:  deny\n", "rule:      default\n", "enforced:  yes")


def test_test_exit_code():
    run("test", ALLOWLIST, r"\\fs01\finance", "--exit-code", expect=0)
    run("test", ALLOWLIST, r"\\fs01\c$", "--exit-code", expect=3)
    run("test", ALLOWLIST, r"\\fs01\c$", expect=0)
    run("test", ALLOWLIST, r"\\0x7f.0.0.1\x", "--exit-code", expect=3)


def test_test_json():
    p = run("test", ROLLOUT, "https://dav.example.org/files", "--json", expect=0)
    d = json.loads(p.stdout)
    equal(d["action"], "allow", "action")
    equal(d["basis"], "default", "basis")
    equal(d["staged"], [{"rule": "webdav", "action": "deny"}], "staged")
    equal(d["canonical"]["scheme"], "webdav", "scheme")
    equal(d["canonical"]["tls"], True, "tls")
    equal(d["canonical"]["port"], 443, "port")
    p = run("test", ALLOWLIST, "\\\\a\\b\x01\"", "--json", expect=0)
    d = json.loads(p.stdout)
    equal(d["name"], "\\\\a\\b\x01\"", "name round trip")
    equal(d["basis"], "malformed", "basis")
    equal(d["rule"], "malformed", "rule")
    equal(d["action"], "deny", "action")


def test_test_staged_and_audit():
    p = run("test", ROLLOUT, r"\\nas2\photos", expect=0)
    contains(p.stdout, "decision:  allow", "staged:    personal-storage (deny)")
    p = run("test", "policy/default.yaml", r"\\fs01\c$", expect=0)
    contains(p.stdout, "decision:  allow", "staged:    admin-shares (deny)")


def test_test_context_flags():
    agent = r"C:\Program Files\Example Backup\bin\backup-agent.exe"
    p = run("test", BACKUP, r"\\backup01\backup$", "--process", agent, expect=0)
    contains(p.stdout, "decision:  allow", "rule:      backup-agent")
    p = run("test", BACKUP, r"\\backup01\backup$", "--process=C:\\Windows\\explorer.exe", expect=0)
    contains(p.stdout, "rule:      backup-share-others")
    p = run("test", ADMIN, r"\\srv\c$", "--group", "CORP\\Domain Users", "--group",
            "S-1-5-32-544", "--user", "CORP\\alice", "--local", "Z:", "--provider",
            "Microsoft Windows Network", expect=0)
    contains(p.stdout, "rule:      admins-may-map-admin-shares")
    p = run("test", ADMIN, r"\\srv\c$", "--group", "CORP\\Domain Users", expect=0)
    contains(p.stdout, "rule:      admin-shares")


def test_test_bypass_spellings_stay_denied():
    spellings = [r"\\srv01\C$", r"\\SRV01\c$", "//srv01/c$", r"\\srv01\c$\\", r"\\?\UNC\srv01\c$",
                 r"\\.\UNC\srv01\c$", r"\??\UNC\srv01\c$", r"\\srv01.\c$", r"\\srv01\c$\..",
                 r"\\srv01\c$\windows\..\..\..", r"\\\srv01\c$", r"\\srv01\\c$", "\\\\srv01/c$",
                 r"\\srv01\ADMIN$\.", r"\\srv01@SSL\c$", "http://srv01/c$"]
    for name in spellings:
        p = run("test", ADMIN, name, "--json", expect=0)
        d = json.loads(p.stdout)
        if d["action"] != "deny":
            raise AssertionError("%s was allowed: %s" % (name, p.stdout))


def test_test_policy_errors():
    p = run("test", "tests/cli/invalid/bad-action.yaml", r"\\a\b", expect=1)
    contains(p.stderr, "bad-action.yaml:4:13: error:", "policy rejected (1 error; see 'sharewall check')")
    p = run("test", "missing.yaml", r"\\a\b", expect=2)
    contains(p.stderr, "missing.yaml: error: ")


# --------------------------------------------------------------------------
# test --batch
# --------------------------------------------------------------------------

def test_batch_sample():
    p = run("test", ALLOWLIST, "--batch", "examples/requests.txt", expect=0)
    golden("batch-requests.tsv", p.stdout)
    lines = p.stdout.splitlines()
    equal(lines[0], "# name\taction\trule\tenforced\tstaged\tcanonical\treason", "header")
    rows = tsv_rows(p.stdout)
    equal(len(rows), 11, "rows")
    for r in rows:
        equal(len(r), 7, "columns of %r" % r)
    equal(p.stderr, "11 requests: 4 allow, 7 deny, 0 errors\n", "counts")
    run("test", ALLOWLIST, "--batch", "examples/requests.txt", "--exit-code", expect=3)


def test_batch_json_lines():
    p = run("test", ALLOWLIST, "--batch", "examples/requests.txt", "--json", expect=0)
    records = [json.loads(line) for line in p.stdout.splitlines()]
    equal(len(records), 11, "records")
    equal(records[0]["line"], 4, "line number of the first request")
    equal(records[-2]["name"], "\\\\fs02.corp.example.com\\hr", "JSON request name")


def test_batch_stdin_and_context():
    lines = "\\\\backup01\\backup$\n" \
            "{\"raw\":\"\\\\\\\\backup01\\\\backup$\",\"process\":\"C:\\\\Windows\\\\explorer.exe\"}\n"
    agent = r"C:\Program Files\Example Backup\bin\backup-agent.exe"
    p = run("test", BACKUP, "--batch", "-", "--process", agent, stdin=lines, expect=0)
    rows = tsv_rows(p.stdout)
    equal([r[2] for r in rows], ["backup-agent", "backup-share-others"],
          "the command line gives defaults, a JSON line's fields win")
    contains(p.stderr, "2 requests: 1 allow, 1 deny, 0 errors")


def test_batch_malformed_lines_continue():
    lines = ("\\\\fs01\\a\n"
             "{\"raw\": 5}\n"
             "{not json\n"
             "\\\\fs02\\b\n"
             "{\"user\":\"x\"}\n"
             "\\\\bad\x00name\n"
             "   \n"
             "# a comment\n"
             "\\\\fs03\\c   \n")
    p = run("test", ALLOWLIST, "--batch", "-", stdin=lines, expect=1)
    contains(p.stderr,
             "<stdin>:2:9: error: \"raw\" must be a string",
             "<stdin>:3:",
             "<stdin>:5: error: the request has no \"unc\" or \"raw\" name",
             "<stdin>:6: error: the line contains a NUL byte",
             "7 requests: 3 allow, 0 deny, 4 errors")
    rows = tsv_rows(p.stdout)
    equal([r[0] for r in rows], ["\\\\fs01\\a", "\\\\fs02\\b", "\\\\fs03\\c"], "decided names")


def test_batch_long_line_skipped():
    lines = "\\\\fs01\\a\n" + "\\\\fs01\\" + "x" * (2 << 20) + "\n\\\\fs02\\b"
    p = run("test", ALLOWLIST, "--batch", "-", stdin=lines, expect=1)
    contains(p.stderr, "<stdin>:2: error: line too long (over 1 MiB), skipped",
             "3 requests: 2 allow, 0 deny, 1 error")
    equal(len(tsv_rows(p.stdout)), 2, "rows")


def test_batch_io_errors():
    p = run("test", ALLOWLIST, "--batch", "no-such-file.txt", expect=2)
    contains(p.stderr, "sharewall test: no-such-file.txt: cannot open: ")
    with tempfile.TemporaryDirectory() as d:
        p = run("test", ALLOWLIST, "--batch", d, expect=2)
        equal(p.stderr, "sharewall test: %s: cannot open: it is a directory, not a regular "
              "file or a pipe\n" % d, "stderr")


def _child_run(argv, feed, consume):
    """Run argv with a writer thread feeding stdin and consume() reading
    stdout; returns (exit code, stderr, peak RSS in KiB, consume's result).

    The peak comes from /usr/bin/time, which forks from a small process:
    wait4's ru_maxrss for a child of python would include python's own
    pages from before exec and hide the child's real peak. Without it,
    VmHWM is sampled from /proc while the child runs."""
    timefile = None
    if os.path.exists("/usr/bin/time"):
        fd, timefile = tempfile.mkstemp(prefix="sw-rss-")
        os.close(fd)
        argv = ["/usr/bin/time", "-f", "%M", "-o", timefile] + argv
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    err, hwm = [], [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            try:
                with open("/proc/%d/status" % p.pid) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            hwm[0] = max(hwm[0], int(line.split()[1]))
            except OSError:
                pass
    threads = [threading.Thread(target=lambda: (feed(p.stdin), p.stdin.close())),
               threading.Thread(target=lambda: err.append(p.stderr.read()))]
    if not timefile:
        threads.append(threading.Thread(target=sample))
    for t in threads:
        t.start()
    result = consume(p.stdout)
    code = p.wait()
    done.set()
    for t in threads:
        t.join()
    rss = hwm[0]
    if timefile:
        with open(timefile) as f:
            rss = int(f.read().split()[-1])
        os.unlink(timefile)
    if rss == 0:
        raise Skip("cannot measure the peak RSS here (no /usr/bin/time, no /proc)")
    return code, err[0].decode(), rss, result


def test_batch_million_lines_bounded_memory():
    names = [b"\\\\fs01.corp.example.com\\finance", b"\\\\fs01\\c$", b"//fs12/projects/../x",
             b"\\\\10.1.2.3\\share", b"\\\\0x7f.0.0.1\\x",
             b"{\"raw\":\"\\\\\\\\fs02\\\\hr\",\"user\":\"CORP\\\\frank\",\"groups\":[\"a\",\"b\"]}",
             b"https://attacker.example.net/x", b"\\\\fs99\\" + b"p" * 70 + b"\\" + b"q" * 300]
    per_cycle_allow = 4  # fs01 finance, fs12 projects, fs02 hr, fs99 long path
    argv = [ARGS.sharewall, "test", path(ALLOWLIST), "--batch", "-"]

    def feeder(total):
        chunk = b"\n".join(names) + b"\n"
        cycles = total // len(names)

        def feed(stdin):
            block = chunk * 1000
            for _ in range(cycles // 1000):
                stdin.write(block)
            stdin.write(chunk * (cycles % 1000))
        return feed, cycles * len(names), cycles * per_cycle_allow

    def count_lines(stdout):
        n = 0
        while True:
            buf = stdout.read(1 << 20)
            if not buf:
                return n
            n += buf.count(b"\n")

    results = {}
    for total in (10000, 1000000):
        feed, requests, allow = feeder(total)
        code, err, rss, out_lines = _child_run(argv, feed, count_lines)
        equal(code, 0, "exit code (stderr: %s)" % err[-500:])
        equal(out_lines, requests + 1, "output lines (one per request + header)")
        equal(err, "%d requests: %d allow, %d deny, 0 errors\n" % (requests, allow, requests - allow),
              "counts")
        results[total] = rss
        print("%d requests: peak RSS %d KiB" % (requests, rss))
    if os.environ.get("SW_SANITIZE"):
        raise Skip("built with sanitizers (%s): their bookkeeping grows RSS; the line "
                   "count was checked, the memory bound is checked in the plain builds"
                   % os.environ["SW_SANITIZE"])
    growth = results[1000000] - results[10000]
    if results[1000000] > 16 * 1024 or growth > 2 * 1024:
        raise AssertionError("memory not bounded: peak RSS %d KiB for 1M lines, %d KiB for 10k"
                             % (results[1000000], results[10000]))


# --------------------------------------------------------------------------
# explain
# --------------------------------------------------------------------------

def test_explain_trace():
    p = run("explain", ROLLOUT, r"\\NAS2.\photos\..\x", "--user", "CORP\\bob", expect=0)
    golden("explain-rollout.txt", p.stdout)
    contains(p.stdout,
             "canonical: \\\\nas2\\photos\\x\n",
             "user:      CORP\\bob\n",
             "#1 admin-shares (deny, examples/policies/audit-rollout.yaml:18)",
             "share    'photos' did not match 'admin\\$'",
             "#3 personal-storage (deny, staged",
             "server   'nas2' matched 'nas\\d*'",
             "=> matched (staged",
             "decision:  allow by the default (no rule matched)")


def test_explain_skipped_and_malformed():
    p = run("explain", ADMIN, r"\\srv\c$", expect=0)
    contains(p.stdout, "=> MATCHED: this rule decides", "decision:  deny by rule admin-shares, enforced")
    p = run("explain", ADMIN, r"\\srv\c$", "--group", "S-1-5-32-544", expect=0)
    contains(p.stdout, "#2 admin-shares (deny, examples/policies/block-admin-shares.yaml:23): skipped, after the deciding rule")
    p = run("explain", ADMIN, r"\\0x7f.1\c$", expect=0)
    contains(p.stdout, "malformed: ", "decision:  deny by malformed name (always denied)")


def test_explain_match_limit():
    name = "\\\\web\\x\\" + "a" * 64 + "!"
    p = run("explain", "tests/cli/data/lint.yaml", name, expect=0)
    contains(p.stdout, "did not match '(\\\\?[a-z]+)+' [error: regex match limit exceeded]",
             "=> ERROR: regex match limit exceeded (on_error decides)",
             "#5 everything (deny, tests/cli/data/lint.yaml:21): skipped, after the deciding rule",
             "decision:  allow by on_error: regex match limit exceeded")
    p = run("test", "tests/cli/data/lint.yaml", name, "--json", expect=0)
    d = json.loads(p.stdout)
    equal((d["action"], d["basis"], d["rule"], d["reason"]),
          ("allow", "error", "error", "regex match limit exceeded"), "on_error decision")


def test_output_escaping():
    # Control characters from input never reach a terminal or a TSV raw.
    p = run("test", ALLOWLIST, "\\\\a\\b\x1b[31m\tc", expect=0)
    contains(p.stdout, "name:      \\\\a\\b\\x1b[31m\\x09c\n")
    lacks(p.stdout, "\x1b", "\t")
    line = json.dumps({"raw": "\\\\a\\b\tc\u001b[31m\n"}) + "\n"
    p = run("test", ALLOWLIST, "--batch", "-", stdin=line, expect=0)
    rows = tsv_rows(p.stdout)
    equal(len(rows), 1, "one row")
    equal(rows[0][0], "\\\\a\\b\\x09c\\x1b[31m\\x0a", "escaped name column")
    p = run("test", ALLOWLIST, "--batch", "-", "--json", stdin=line, expect=0)
    equal(json.loads(p.stdout)["name"], "\\\\a\\b\tc\x1b[31m\n", "JSON keeps the exact name")


def test_explain_accounts_for_every_field():
    p = run("explain", BACKUP, r"\\fs01\backup$", "--process", r"C:\x.exe", expect=0)
    contains(p.stdout,
             "      server   'fs01' did not match 'backup01\\.corp\\.example\\.com'\n"
             "      share    not tested (an earlier field did not match)\n"
             "      process  not tested (an earlier field did not match)\n"
             "      => no match\n",
             "#3 file-servers (allow, examples/policies/backup-exception.yaml:31): skipped, after the deciding rule")


def test_explain_errors():
    run("explain", "missing.yaml", r"\\a\b", expect=2)
    run("explain", "tests/cli/invalid/bad-mode.yaml", r"\\a\b", expect=1)


# --------------------------------------------------------------------------
# canon
# --------------------------------------------------------------------------

CANON_NAMES = [r"\\?\UNC\FS01.Corp.Example.COM.\Share\a\.\b\..\c", "https://dav.example.org:8443/x/y",
               r"\\host@SSL@443\DavWWWRoot\docs", r"\\127.0.0.2\c$", r"\\host", r"\\0x7f.0.0.1\x",
               r"C:\local\path"]


def test_canon_text():
    p = run("canon", *CANON_NAMES, expect=1)  # two of them are malformed
    golden("canon.txt", p.stdout)
    contains(p.stdout, "  canonical: \\\\fs01.corp.example.com\\Share\\a\\c\n", "  loopback:  yes\n",
             "  share:     IPC$\n")
    run("canon", CANON_NAMES[0], expect=0)


def test_canon_json():
    p = run("canon", "--json", *CANON_NAMES, expect=1)
    objs = [json.loads(line) for line in p.stdout.splitlines()]
    equal(len(objs), len(CANON_NAMES), "objects")
    equal([o["name"] for o in objs], CANON_NAMES, "names")
    c = objs[1]["canonical"]
    equal((c["scheme"], c["host"], c["port"], c["tls"], c["share"], c["path"]),
          ("webdav", "dav.example.org", 8443, True, "x", "\\y"), "webdav decomposition")
    equal(objs[5]["canonical"]["malformed"], True, "malformed")
    contains(objs[5]["canonical"]["reason"], "IPv4")


def test_canon_self_names():
    p = run("canon", "--json", "--self", "WS01", r"\\ws01\c$", expect=0)
    c = json.loads(p.stdout)["canonical"]
    equal((c["host"], c["loopback"]), ("localhost", True), "self name is loopback")
    p = run("canon", "--json", r"\\ws01\c$", expect=0)
    equal(json.loads(p.stdout)["canonical"]["loopback"], False, "without --self")


# --------------------------------------------------------------------------
# replay
# --------------------------------------------------------------------------

def test_replay_sample_text():
    p = run("replay", ALLOWLIST, SAMPLE_LOG, expect=1)
    golden("replay-sample.txt", p.stdout)
    contains(p.stdout,
             "14 records: 12 connection attempts re-decided, 2 other events skipped, 0 malformed",
             "9 unchanged, 1 allow -> deny, 2 deny -> allow",
             "       1  default\n", "       2  file-servers\n",
             "was allow (corporate-domain), now deny (default)")
    equal(p.stderr, "", "stderr")


def test_replay_same_policy_changes_nothing():
    p = run("replay", WEBDAV, SAMPLE_LOG, expect=0)
    contains(p.stdout, "12 unchanged, 0 allow -> deny, 0 deny -> allow")


def test_replay_json():
    p = run("replay", ALLOWLIST, SAMPLE_LOG, "--json", expect=1)
    doc = json.loads(p.stdout)
    equal(len(doc["changes"]), 3, "changes")
    s = doc["summary"]
    equal((s["records"], s["attempts"], s["skipped"], s["errors"], s["unchanged"],
           s["allow_to_deny"], s["deny_to_allow"]), (14, 12, 2, 0, 9, 1, 2), "summary")
    equal(sorted((r["rule"], r["allow_to_deny"], r["deny_to_allow"]) for r in s["by_rule"]),
          [("default", 1, 0), ("file-servers", 0, 2)], "by rule")
    first = doc["changes"][0]
    equal((first["line"], first["change"], first["old"]["rule"], first["new"]["rule"]),
          (4, "allow -> deny", "corporate-domain", "default"), "first change")


def test_replay_examples_limit():
    p = run("replay", ALLOWLIST, SAMPLE_LOG, "--examples", "1", expect=1)
    equal(p.stdout.count("sample.jsonl:"), 2, "one example of each direction")
    p = run("replay", ALLOWLIST, SAMPLE_LOG, "--examples=0", expect=1)
    lacks(p.stdout, "first ")


def test_replay_malformed_lines():
    p = run("replay", ALLOWLIST, "tests/cli/data/bad-log.jsonl", expect=1)
    log = "tests/cli/data/bad-log.jsonl"
    contains(p.stderr, log + ":2:1: error: ", log + ":4:10: error: unknown \"event\"",
             log + ":5: error: the record has no \"event\" and no \"action\"",
             log + ":9:9: error: \"user\" must be a string")
    contains(p.stdout, "9 records: 3 connection attempts re-decided, 2 other events skipped, 4 malformed",
             "1 unchanged, 0 allow -> deny, 2 deny -> allow")


def test_replay_weights_rate_limited_records():
    # A record stands for itself and the identical attempts the DLL's rate
    # limit folded into it ("suppressed", docs/log-format.md).
    records = [{"event": "vetoed", "raw": r"\\evil.example.net\x", "action": "deny",
                "rule": "default", "suppressed": 4},
               {"event": "connected", "raw": r"\\evil.example.net\y", "action": "allow",
                "rule": "old", "suppressed": 2}]
    log = "".join(json.dumps(r) + "\n" for r in records)
    p = run("replay", ALLOWLIST, "-", "--json", stdin=log, expect=1)
    s = json.loads(p.stdout)["summary"]
    equal((s["records"], s["attempts"], s["unchanged"], s["allow_to_deny"]), (2, 8, 5, 3),
          "summary")
    bad = json.dumps({"event": "vetoed", "raw": r"\\h\s", "action": "deny", "suppressed": -1})
    p = run("replay", ALLOWLIST, "-", stdin=bad + "\n")
    contains(p.stderr, '"suppressed" must be an integer')


def test_replay_counts_each_attempt_once():
    # The records the DLL writes per attempt (src/win/notify.c): an audited
    # deny leaves would-veto + connected, an evaluation error leaves error
    # (+ connected when let through); each attempt counts once.
    p = run("replay", ALLOWLIST, "tests/cli/data/audit-log.jsonl", "--json", expect=1)
    doc = json.loads(p.stdout)
    s = doc["summary"]
    equal((s["records"], s["attempts"], s["skipped"], s["errors"], s["unchanged"],
           s["allow_to_deny"], s["deny_to_allow"]), (11, 5, 6, 0, 2, 1, 2), "summary")
    equal([(c["line"], c["event"], c["change"]) for c in doc["changes"]],
          [(2, "connected", "deny -> allow"), (3, "error", "deny -> allow"),
           (4, "error", "allow -> deny")], "changes")
    equal(p.stderr, "", "stderr")


def test_replay_and_test_self_names():
    log = '{"event":"connected","raw":"\\\\\\\\WS01\\\\c$","action":"allow","rule":"default"}\n'
    p = run("replay", "tests/cli/data/loopback.yaml", "-", stdin=log, expect=0)
    contains(p.stdout, "1 unchanged, 0 allow -> deny")
    p = run("replay", "tests/cli/data/loopback.yaml", "-", "--self", "ws01", stdin=log, expect=1)
    contains(p.stdout, "0 unchanged, 1 allow -> deny", "now deny (no-loopback)")
    run("test", "tests/cli/data/loopback.yaml", r"\\WS01\c$", "--exit-code", expect=0)
    run("test", "tests/cli/data/loopback.yaml", r"\\WS01\c$", "--self", "ws01", "--exit-code", expect=3)
    run("test", "tests/cli/data/loopback.yaml", "--batch", "-", "--self", "ws01", "--exit-code",
        stdin="\\\\ws01.corp.example.com\\x\n", expect=0)
    run("test", "tests/cli/data/loopback.yaml", "--batch", "-", "--self", "ws01.corp.example.com",
        "--exit-code", stdin="\\\\ws01.corp.example.com\\x\n", expect=3)


def test_replay_io_errors():
    p = run("replay", ALLOWLIST, "no-such.jsonl", expect=2)
    contains(p.stderr, "no-such.jsonl: cannot open")
    run("replay", "missing.yaml", SAMPLE_LOG, expect=2)
    run("replay", "tests/cli/invalid/bad-mode.yaml", SAMPLE_LOG, expect=2)
    with open(path(SAMPLE_LOG), encoding="utf-8") as f:
        p = run("replay", ALLOWLIST, "-", stdin=f.read(), expect=1)
    contains(p.stdout, "replay of <stdin>")


# --------------------------------------------------------------------------
# policy files: what a reviewer sees is what is loaded
# --------------------------------------------------------------------------

DECEPTIVE = {
    "line-separator-in-comment.yaml": [
        ":7:46: error: U+2028 LINE SEPARATOR, a line break in YAML: YAML starts a new line "
        "here where editors and code review show one line; remove it"],
    "bidi-override-in-comment.yaml": [
        ":5:22: error: U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control: it reorders "
        "how the text around it is shown, so a reviewer may not see what is loaded; remove it",
        ":5:39: error: U+202C POP DIRECTIONAL FORMATTING, a bidirectional control: it reorders "
        "how the text around it is shown, so a reviewer may not see what is loaded; remove it"],
    "invisible-in-pattern.yaml": [
        ":7:27: error: rules[0].match.share: U+200B ZERO WIDTH SPACE, an invisible character: "
        "a reviewer cannot see it; remove it"],
}


def test_check_deceptive_policies():
    # Each of these loaded before, and did something else than it showed.
    for name, lines in sorted(DECEPTIVE.items()):
        f = "tests/cli/deceptive/" + name
        p = run("check", f, expect=1)
        equal(p.stderr, "".join(f + line + "\n" for line in lines), name + " stderr")
        equal(p.stdout, "%s: FAILED, %d error%s\n" % (f, len(lines), "s" if len(lines) > 1 else ""),
              name + " summary")
        p = run("test", f, r"\\evil.example.net\x", expect=1)
        contains(p.stderr, f + lines[0] + "\n", "policy rejected")


def test_check_escapes_hidden_characters_in_diagnostics():
    # 'deny-secret\u200b' must never print as 'deny-secret'.
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "p.yaml")
        with open(f, "w", encoding="utf-8") as out:
            out.write("version: 1\nrules:\n  - id: \"deny-secret\\u200b\"\n    action: deny\n"
                      "    match: { share: secret }\n  - id: \"x\\u009b31m\"\n    action: deny\n"
                      "    match: { share: \"\\u202ex\" }\n")
        p = run("check", f, expect=1)
        equal(p.stderr,
              f + ":3:21: error: rules[0].id: U+200B ZERO WIDTH SPACE, an invisible character: "
              "not allowed in a rule id (a reviewer cannot see it)\n" +
              f + ":6:11: error: rules[1].id: U+009B CONTROL SEQUENCE INTRODUCER, a control "
              "character: not allowed in a rule id (a reviewer cannot see it)\n" +
              f + ":8:22: error: rules[1].match.share: U+202E RIGHT-TO-LEFT OVERRIDE, a "
              "bidirectional control: not allowed in a pattern (it changes the order or "
              "direction of the text shown around it); to match it, write the regex escape "
              "\\x{202e}\n", "stderr")
        for ch in ("\u200b", "\u009b", "\u202e"):
            lacks(p.stderr + p.stdout, ch)
        # A value quoted in a message is escaped too.
        with open(f, "w", encoding="utf-8") as out:
            out.write("version: 1\nmode: \"audit\\u200b\\u009b\"\n")
        p = run("check", f, expect=1)
        contains(p.stderr, "expected enforce or audit, found 'audit\\u200b\\u009b'")


# --------------------------------------------------------------------------
# bad input to the CLI
# --------------------------------------------------------------------------

def _run_with_timeout(argv, stdin=None, timeout=60):
    p = subprocess.run([ARGS.sharewall] + argv, cwd=ARGS.root, stdin=stdin,
                       capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def test_policy_that_is_not_a_regular_file():
    # A FIFO used to block every command forever; /dev/zero said "No such
    # file or directory". Each now says what the path is, at once.
    if not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"):
        raise Skip("no FIFOs or /dev/zero on this system")
    with tempfile.TemporaryDirectory() as d:
        fifo = os.path.join(d, "policy.yaml")
        os.mkfifo(fifo)
        cases = [(fifo, "it is a FIFO (named pipe), not a regular file"),
                 ("/dev/zero", "it is a character device, not a regular file"),
                 (d, "it is a directory, not a regular file")]
        for policy, what in cases:
            for argv in (["check", policy], ["test", policy, r"\\fs01\x"],
                         ["explain", policy, r"\\fs01\x"], ["replay", policy, SAMPLE_LOG]):
                code, out, err = _run_with_timeout(argv)
                equal(code, 2, " ".join(argv) + " exit code")
                contains(err, policy + ": error: cannot read the policy file: " + what + "\n")


def test_stream_inputs_that_never_end_are_refused():
    if not os.path.exists("/dev/zero"):
        raise Skip("no /dev/zero on this system")
    for argv, cmd in ((["replay", ALLOWLIST, "/dev/zero"], "replay"),
                      (["test", ALLOWLIST, "--batch", "/dev/zero"], "test")):
        code, out, err = _run_with_timeout(argv)
        equal((code, out), (2, ""), " ".join(argv))
        equal(err, "sharewall %s: /dev/zero: cannot open: it is a character device, not a "
              "regular file or a pipe\n" % cmd, " ".join(argv) + " stderr")
    with open("/dev/zero", "rb") as zero:
        code, out, err = _run_with_timeout(["replay", ALLOWLIST, "-"], stdin=zero)
    equal((code, err), (2, "sharewall replay: cannot read the input: standard input is a "
                           "character device (such as /dev/zero), not a file, a pipe or a "
                           "terminal\n"), "stdin /dev/zero")
    with open(os.devnull, "rb") as null:
        code, out, err = _run_with_timeout(["test", ALLOWLIST, "--batch", "-"], stdin=null)
    equal((code, err), (0, "0 requests: 0 allow, 0 deny, 0 errors\n"), "stdin /dev/null")


def test_stream_inputs_from_pipes():
    # Pipes stay streams: a named pipe waits for its writer, as cat would.
    if not hasattr(os, "mkfifo"):
        raise Skip("no FIFOs on this system")
    with tempfile.TemporaryDirectory() as d:
        fifo = os.path.join(d, "requests")
        os.mkfifo(fifo)

        def writer():
            with open(fifo, "w") as f:
                f.write("\\\\fs01\\finance\n\\\\evil.example.net\\x\n")
        t = threading.Thread(target=writer)
        t.start()
        try:
            code, out, err = _run_with_timeout(["test", ALLOWLIST, "--batch", fifo])
        finally:
            if t.is_alive():  # sharewall never opened it: release the writer
                os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
            t.join()
        equal(code, 0, "exit code")
        equal([r[1] for r in tsv_rows(out)], ["allow", "deny"], "decisions")


def test_replay_of_unreadable_log_is_not_clean():
    # Random bytes and logs with nothing to compare used to exit 0,
    # "nothing would change".
    rnd = random.Random(17)
    junk = bytes(rnd.randrange(256) for _ in range(6000))
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "junk.jsonl")
        with open(f, "wb") as out:
            out.write(junk)
        lines = junk.count(b"\n") + (0 if junk.endswith(b"\n") else 1)
        code, out, err = _run_with_timeout(["replay", WEBDAV, f])
        equal(code, 1, "exit code")
        contains(out, "%d records: 0 connection attempts re-decided, 0 other events skipped, "
                      "%d malformed\n" % (lines, lines),
                 "  NOT A CLEAN REPLAY: no connection attempt was re-decided and %d lines "
                 "were malformed: nothing was compared\n" % lines)
        contains(err, "sharewall replay: %s: not a clean replay: no connection attempt was "
                      "re-decided and %d lines were malformed: nothing was compared\n" % (f, lines))
        code, out, err = _run_with_timeout(["replay", WEBDAV, f, "--json"])
        equal((code, json.loads(out)["summary"]["complete"]), (1, False), "JSON")

    # Nothing but policy events: nothing was compared.
    log = '{"event":"policy-loaded","message":"x"}\n'
    p = run("replay", WEBDAV, "-", stdin=log, expect=1)
    contains(p.stdout, "  NOT A CLEAN REPLAY: no connection attempt was re-decided: nothing "
                       "was compared\n")
    p = run("replay", WEBDAV, "-", stdin="", expect=1)
    contains(p.stdout, "0 records: 0 connection attempts")

    # A good log with one bad line: the rest is compared, and it still fails.
    with open(path(SAMPLE_LOG), encoding="utf-8") as f:
        log = f.read() + "{not json\n"
    p = run("replay", WEBDAV, "-", stdin=log, expect=1)
    contains(p.stdout, "12 unchanged, 0 allow -> deny, 0 deny -> allow\n"
                       "  NOT A CLEAN REPLAY: 1 malformed line was not compared\n")
    p = run("replay", WEBDAV, "-", "--json", stdin=log, expect=1)
    equal(json.loads(p.stdout)["summary"]["complete"], False, "complete")
    p = run("replay", WEBDAV, SAMPLE_LOG, "--json", expect=0)
    equal(json.loads(p.stdout)["summary"]["complete"], True, "clean replay is complete")


ENCODINGS = [("utf-16", "UTF-16 (little-endian, with a byte order mark)", "UTF-16"),
             ("utf-16-le", "UTF-16 (little-endian)", "UTF-16"),
             ("utf-16-be", "UTF-16 (big-endian)", "UTF-16"),
             ("utf-32", "UTF-32 (little-endian, with a byte order mark)", "UTF-32"),
             ("utf-32-be", "UTF-32 (big-endian)", "UTF-32")]


def test_utf16_input_is_named():
    # Windows PowerShell 5 writes UTF-16 with `>`: say so instead of
    # reporting every line malformed (or, before, replaying "nothing").
    with open(path(SAMPLE_LOG), encoding="utf-8") as f:
        log = f.read()
    with tempfile.TemporaryDirectory() as d:
        for codec, name, family in ENCODINGS:
            f = os.path.join(d, codec + ".txt")
            with open(f, "wb") as out:
                out.write(log.encode(codec))
            for argv, cmd in ((["replay", ALLOWLIST, f], "replay"),
                              (["test", ALLOWLIST, "--batch", f], "test")):
                code, out, err = _run_with_timeout(argv)
                equal((code, out), (2, ""), " ".join(argv))
                equal(err, "sharewall %s: %s: the input is %s, not UTF-8: convert it first "
                           "(iconv -f %s -t UTF-8, or in PowerShell: Get-Content IN | "
                           "Set-Content -Encoding utf8 OUT)\n" % (cmd, f, name, family),
                      codec + " stderr")


def test_byte_order_mark_on_the_first_line():
    with open(path(SAMPLE_LOG), "rb") as f:
        log = f.read()
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "bom.jsonl")
        with open(f, "wb") as out:
            out.write(b"\xef\xbb\xbf" + log.replace(b"\n", b"\r\n"))
        code, out, err = _run_with_timeout(["replay", ALLOWLIST, f])
        plain = run("replay", ALLOWLIST, SAMPLE_LOG, expect=1)
        equal((code, err), (1, ""), "replay with a BOM")
        equal(out.replace(f, SAMPLE_LOG), plain.stdout, "same report as without the BOM")
        batch = os.path.join(d, "requests.txt")
        with open(batch, "wb") as out:
            out.write(b"\xef\xbb\xbf\\\\fs01\\finance\r\n\xef\xbb\xbf\\\\fs02\\hr\r\n")
        code, out, err = _run_with_timeout(["test", ALLOWLIST, "--batch", batch])
        equal(code, 1, "exit code")
        equal(tsv_rows(out), [["\\\\fs01\\finance", "allow", "file-servers", "-", "-",
                               "\\\\fs01\\finance", "-"]], "first line decided")
        equal(err, batch + ":2: error: the line starts with a byte order mark (U+FEFF); only "
              "the first line of the input may (were files joined together?)\n"
              "2 requests: 1 allow, 0 deny, 1 error\n", "second BOM refused")


HIDDEN_NAME = "\\\\fs01\\a\u009b31m\u202eb\u200bc\u00a0d\U000e0041"
HIDDEN_SHOWN = "\\\\fs01\\a\\u009b31m\\u202eb\\u200bc\\u00a0d\\U000e0041"


def test_output_escapes_c1_and_hidden_characters():
    # U+009B is an 8-bit CSI: printed raw it drives the terminal.
    p = run("test", ALLOWLIST, HIDDEN_NAME, expect=0)
    contains(p.stdout, "name:      " + HIDDEN_SHOWN + "\n")
    p = run("test", ALLOWLIST, "--batch", "-", stdin=HIDDEN_NAME + "\n", expect=0)
    equal(tsv_rows(p.stdout)[0][0], HIDDEN_SHOWN, "TSV name")
    p = run("canon", HIDDEN_NAME)
    contains(p.stdout, HIDDEN_SHOWN + "\n")
    lacks(p.stdout, "\u009b", "\u202e", "\u200b")
    p = run("explain", ALLOWLIST, HIDDEN_NAME, expect=0)
    contains(p.stdout, "name:      " + HIDDEN_SHOWN + "\n")
    log = json.dumps({"event": "vetoed", "raw": HIDDEN_NAME, "action": "deny",
                      "rule": "old"}) + "\n"
    p = run("replay", ALLOWLIST, "-", stdin=log, expect=1)
    contains(p.stdout, "  " + HIDDEN_SHOWN + "  was deny (old), now allow (file-servers)")
    p = run("test", ALLOWLIST, "\x1b[2J\u009b", "--frob", expect=2)
    contains(p.stderr, "unknown option '--frob'")
    p = run("test", ALLOWLIST, "a", "b\u009bc\x1b[2J", expect=2)
    equal(p.stderr, "sharewall test: unexpected argument 'b\\u009bc\\x1b[2J' (see "
                    "'sharewall test --help')\n", "usage error")
    # JSON escapes them too, and reads back to the exact name.
    p = run("test", ALLOWLIST, HIDDEN_NAME, "--json", expect=0)
    contains(p.stdout, "\\u009b31m\\u202eb\\u200bc\\u00a0d\\udb40\\udc41")
    equal(json.loads(p.stdout)["name"], HIDDEN_NAME, "JSON round trip")
    p = run("replay", ALLOWLIST, "-", "--json", stdin=log, expect=1)
    equal(json.loads(p.stdout)["changes"][0]["new"]["name"], HIDDEN_NAME, "replay JSON")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--sharewall", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update-golden", action="store_true")
    ap.add_argument("tests", nargs="*")
    ARGS = ap.parse_args()
    ARGS.sharewall = os.path.abspath(ARGS.sharewall)
    names = ARGS.tests or sorted(n[5:] for n in globals() if n.startswith("test_"))
    failed = skipped = 0
    for name in names:
        fn = globals().get("test_" + name)
        if not fn:
            print("no such test: " + name)
            return 2
        try:
            fn()
            print("ok   " + name)
        except Skip as e:
            skipped += 1
            print("skip %s: %s" % (name, e))
        except AssertionError as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
    if failed:
        return 1
    return SKIP if skipped and skipped == len(names) else 0


if __name__ == "__main__":
    sys.exit(main())
