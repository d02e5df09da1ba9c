"""The driver shared by the installer's static checks (test_admx.py,
test_wxs_registry.py): read the files, run the check, then run it again on
deliberately broken copies — a check that passes those has stopped
checking — and report.
"""
import os
import sys


def self_test(check, texts, broken):
    """broken: {what: tuple of texts}, each a mutation of `texts`."""
    failures = []
    for what, mutated in broken.items():
        if tuple(mutated) == tuple(texts):
            failures.append(f"self-test '{what}': the mutation did not apply "
                            "(the file changed; update the self-test)")
        elif not check(*mutated):
            failures.append(f"self-test '{what}': the checker found nothing")
    return failures


def run(name, rel_paths, check, mutations):
    """Checks the files (relative to the source tree: argv[1], or ../.. from
    here); mutations(*texts) returns the broken copies. Returns the exit
    status."""
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..")
    texts = []
    for rel in rel_paths:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            texts.append(f.read())
    errors = check(*texts) or self_test(check, texts, mutations(*texts))
    for e in errors:
        print("FAIL:", e)
    print(f"{name}: {len(errors)} problem(s)")
    return 1 if errors else 0
