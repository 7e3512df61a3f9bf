#!/usr/bin/env python3
"""Validates a CycloneDX 1.6 JSON document against the official schema.

    python3 audit/validate_cbom.py FILE

The schema (bom-1.6 with the spdx, jsf-0.82 and cryptography-defs schemas it
references) comes from the PyPI package cyclonedx-python-lib, which ships
them (Apache-2.0), and is applied with its strict JSON validator, built on
the `jsonschema` package. scripts/audit installs both, pinned, into the
interop virtualenv under the target directory.

Exit status: 0 valid, 1 invalid (every error printed), 3 the validator is
not installed (the caller decides whether that is a skip or a failure).
"""

import json
import sys


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: validate_cbom.py FILE", file=sys.stderr)
        return 2
    try:
        from importlib.metadata import version

        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
    except ImportError as e:
        print(f"unavailable: cyclonedx-python-lib / jsonschema not importable ({e})")
        return 3
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text)
    if doc.get("specVersion") != "1.6":
        print(f"invalid: specVersion is {doc.get('specVersion')!r}, expected '1.6'")
        return 1
    try:
        validator = JsonStrictValidator(SchemaVersion.V1_6)
        errors = validator.validate_str(text, all_errors=True)
    except Exception as e:  # a missing optional dependency of the validator
        print(f"unavailable: the CycloneDX JSON validator cannot run ({type(e).__name__}: {e})")
        return 3
    tool = (
        f"cyclonedx-python-lib {version('cyclonedx-python-lib')}, "
        f"jsonschema {version('jsonschema')}"
    )
    if errors:
        errors = list(errors)
        for e in errors:
            data = getattr(e, "data", None)
            message = getattr(data, "message", None) or str(e).splitlines()[0]
            where = getattr(data, "json_path", "$")
            print(f"invalid: {where}: {message}")
        print(f"{len(errors)} schema error(s) against CycloneDX 1.6 ({tool})")
        return 1
    print(f"valid: CycloneDX 1.6 (strict JSON schema from {tool})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
