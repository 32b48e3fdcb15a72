"""Audit the installed packages for known vulnerabilities: pip-audit first, PyPI's latest-release record second.

pip-audit (`-s pypi`) asks PyPI about each installed version at `/pypi/NAME/VERSION/json`. Where that
answer cannot be had (this project's build machines reach PyPI, but not that address), a package
whose installed version is PyPI's latest release is still audited: `/pypi/NAME/json` carries the
known vulnerabilities of the latest release. Whatever neither way could audit is named, loudly.

Exit status: 1 if any package has a known vulnerability (bump its pin to a fixed version); 1 if some
package could not be audited and --strict is given; 2 if pip-audit itself could not run; else 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

PYPI = "https://pypi.org/pypi"


def pip_audit(python: Path) -> list[dict]:
    """pip-audit's report on the environment of `python`: one entry per installed package."""
    command = [str(python), "-m", "pip_audit", "-s", "pypi", "--format", "json", "--progress-spinner", "off",
               "--timeout", "30", "--skip-editable"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    try:
        return json.loads(done.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError, TypeError):
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"audit: pip-audit did not report (exit status {done.returncode}); see above") from None


def latest_release_vulns(name: str, version: str) -> list[dict] | None:
    """The known vulnerabilities of `name` `version` if it is PyPI's latest release, else None."""
    try:
        with urllib.request.urlopen(f"{PYPI}/{name}/json", timeout=30) as response:
            record = json.load(response)
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        print(f"audit: could not ask PyPI about {name}: {exc}", file=sys.stderr)
        return None
    if record.get("info", {}).get("version") != version:
        return None
    return [{"id": v.get("id"), "fix_versions": v.get("fixed_in") or []} for v in record.get("vulnerabilities") or []]


def version_of(entry: dict) -> str | None:
    """The installed version of a package pip-audit skipped (its reason ends with "(VERSION)")."""
    reason = entry.get("skip_reason", "")
    return reason.rsplit("(", 1)[-1].rstrip(")") if reason.endswith(")") else entry.get("version")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/audit.py", description=__doc__.split("\n")[0])
    parser.add_argument("--python", type=Path, default=Path(sys.executable), help="the environment to audit")
    parser.add_argument("--strict", action="store_true", help="fail when a package could not be audited")
    args = parser.parse_args(argv)

    vulnerable: list[str] = []
    by_pip_audit, by_latest, unaudited = 0, 0, []
    for entry in pip_audit(args.python):
        name = entry["name"]
        if "skip_reason" not in entry:
            by_pip_audit += 1
            vulns = entry.get("vulns", [])
            version = entry["version"]
        else:
            version = version_of(entry)
            vulns = latest_release_vulns(name, version) if version else None
            if vulns is None:
                unaudited.append(f"{name} {version or '?'}")
                continue
            by_latest += 1
        for v in vulns:
            fixes = ", ".join(v.get("fix_versions") or []) or "no fixed version yet"
            vulnerable.append(f"{name} {version}: {v.get('id')} (fixed in {fixes})")

    print(f"audit: {by_pip_audit} packages audited by pip-audit, {by_latest} by PyPI's latest-release record, "
          f"{len(unaudited)} not audited")  # fmt: skip
    if unaudited:
        print("audit: NOT AUDITED (not PyPI's latest release, and PyPI gave no answer for the installed version): "
              + ", ".join(unaudited), file=sys.stderr)  # fmt: skip
    for line in vulnerable:
        print(f"audit: VULNERABLE {line}", file=sys.stderr)
    if vulnerable:
        return 1
    return 1 if unaudited and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
