#!/usr/bin/env python3
"""policy/schema.json against real policies, with a real validator.

Every shipped policy (policy/default.yaml, examples/policies/*.yaml) must
validate; every policy in tests/cli/invalid/ must fail BOTH the schema and
`sharewall check` (exit 1), so the schema an editor shows and the loader
the DLL uses cannot drift apart on these cases unnoticed.

usage: test_schema.py ROOT SHAREWALL
"""
import glob
import json
import os
import subprocess
import sys

import jsonschema
import yaml


def main():
    root, sharewall = sys.argv[1], sys.argv[2]
    with open(os.path.join(root, "policy", "schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []

    valid = [os.path.join(root, "policy", "default.yaml")] + sorted(
        glob.glob(os.path.join(root, "examples", "policies", "*.yaml")))
    if len(valid) < 6:
        failures.append("expected the default policy and at least five examples, found %d" % len(valid))
    for path in valid:
        with open(path, encoding="utf-8") as f:
            errors = list(validator.iter_errors(yaml.safe_load(f)))
        for e in errors:
            failures.append("%s: schema rejects a shipped policy: %s at %s"
                            % (path, e.message, "/".join(map(str, e.absolute_path))))
        print("valid   %s (%d schema errors)" % (os.path.relpath(path, root), len(errors)))

    invalid = sorted(glob.glob(os.path.join(root, "tests", "cli", "invalid", "*.yaml")))
    if len(invalid) < 10:
        failures.append("expected at least 10 invalid policies, found %d" % len(invalid))
    for path in invalid:
        with open(path, encoding="utf-8") as f:
            errors = list(validator.iter_errors(yaml.safe_load(f)))
        check = subprocess.run([sharewall, "check", path], capture_output=True, text=True)
        name = os.path.relpath(path, root)
        if not errors:
            failures.append("%s: the schema accepts an invalid policy" % name)
        if check.returncode != 1:
            failures.append("%s: sharewall check exited %d, expected 1\n%s"
                            % (name, check.returncode, check.stderr))
        elif ": error: " not in check.stderr:
            failures.append("%s: sharewall check printed no error line" % name)
        print("invalid %s (%d schema errors, check exit %d)" % (name, len(errors), check.returncode))

    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
