"""The shipped server configuration is hardened, and no secret is in the repository."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.conftest import ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"


@pytest.fixture
def options(monkeypatch):
    """Streamlit's own reading of the shipped config: (value, file it was set in) for an option name."""
    from streamlit import config

    monkeypatch.chdir(ROOT)  # Streamlit reads .streamlit/config.toml from the working directory
    for name in list(os.environ):
        if name.startswith("STREAMLIT_"):  # an option set in the environment would hide the file's
            monkeypatch.delenv(name)
    config.get_config_options(force_reparse=True)
    yield lambda name: (config.get_option(name), config._config_options[name].where_defined)
    config.get_config_options(force_reparse=True)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("server.enableXsrfProtection", True),
        ("browser.gatherUsageStats", False),
        ("server.enableAgentApi", False),
        ("server.maxUploadSize", 5),
    ],
)
def test_shipped_config_sets(options, name, expected):
    value, where = options(name)
    assert value == expected, f"{name} is {value!r}, not {expected!r}"
    assert where == str(CONFIG), f"{name} must be set explicitly in {CONFIG}, not left to {where}"


def test_cors_stays_on_and_no_cookie_secret_is_shipped(options):
    assert options("server.enableCORS")[0] is True
    value, where = options("server.cookieSecret")
    assert where != str(CONFIG), "a cookie secret in the shipped config is a secret in the repository"


def tracked() -> list[str]:
    return subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.split("\0")  # fmt: skip


SECRETS = {
    "private key": re.compile(rb"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY"),
    "AWS access key": re.compile(rb"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(rb"\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}"),
    "Slack token": re.compile(rb"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(rb"\bAIza[0-9A-Za-z_-]{35}\b"),
    "OpenAI/Anthropic key": re.compile(rb"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{32,}"),
    "PyPI/npm token": re.compile(rb"\bpypi-AgE[A-Za-z0-9_-]{50,}|\bnpm_[A-Za-z0-9]{36}\b"),
    "secret assignment": re.compile(
        rb"""(?im)^\s*["']?(?:password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|cookie_?secret)"""
        rb"""["']?\s*[:=]\s*["'][^"'\s]{8,}["']"""
    ),
}


def test_no_secret_files_are_tracked():
    files = tracked()
    banned = [
        f
        for f in files
        if re.search(r"(^|/)(secrets\.toml|\.env|id_rsa|id_ed25519|.*\.pem|.*\.key|\.netrc|\.pypirc)$", f)
    ]
    assert not banned, f"files that hold secrets are in git: {banned}"
    assert not (ROOT / ".streamlit" / "secrets.toml").exists(), ".streamlit/secrets.toml must not be in the checkout"


def test_no_secret_in_tracked_files():
    found = []
    for name in tracked():
        path = ROOT / name
        if not name or not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        data = path.read_bytes()
        found += [f"{name}: {what}" for what, pattern in SECRETS.items() if pattern.search(data)]
    assert not found, "secrets in tracked files:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "sample",
    # Written in pieces, so that this file itself passes the scan of tracked files.
    [
        b"-----BEGIN OPENSSH " + b"PRIVATE KEY-----",
        b"key = AKIA" + b"IOSFODNN7EXAMPLE",
        b'api_key = "s3cr3t-' + b'value-123"',
        b"ghp_" + b"a1" * 18,
        b"xox" + b"b-1234567890-abcdef",
    ],  # fmt: skip
)
def test_the_secret_scan_catches(sample):
    assert any(pattern.search(sample) for pattern in SECRETS.values())


def test_the_test_command_runs_the_dependency_audit():
    assert re.search(r"^pip-audit==\d+\.\d+\.\d+$", (ROOT / "requirements-dev.txt").read_text(), re.M)
    script = (ROOT / "test").read_text()
    assert ".venv/bin/python scripts/audit.py" in script
    assert script.rstrip().endswith('exit "$status"') and '.venv/bin/python -m pytest "$@"' in script


def test_the_test_command_lints_before_any_test_in_both_loops():
    """`./test` and `./test fast` run `ruff check` and `ruff format --check` before pytest, and a
    failure stops the run; fast runs the tests marked neither browser nor ops."""
    script = (ROOT / "test").read_text()
    lint = script.index(".venv/bin/ruff check")
    assert lint < script.index(".venv/bin/ruff format --check") < script.index("-m pytest")
    assert 'if [ "$mode" = "fast" ]' not in script[:lint], "ruff must run in both loops"
    assert "exit 1" in script[lint : script.index("-m pytest")]
    assert '-m "not browser and not ops"' in script


def _audit(monkeypatch, report: list[dict], latest: dict[str, tuple[str, list]], *args: str) -> int:
    """scripts/audit.py on a given pip-audit report, with PyPI's latest releases given too."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
    audit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(audit)
    monkeypatch.setattr(audit, "pip_audit", lambda python: report)

    def latest_release_vulns(name, version):
        newest, vulns = latest.get(name, (None, []))
        return [{"id": v, "fix_versions": ["9.9"]} for v in vulns] if newest == version else None

    monkeypatch.setattr(audit, "latest_release_vulns", latest_release_vulns)
    return audit.main(list(args))


def test_the_audit_fails_on_a_known_vulnerability_found_either_way(monkeypatch, capsys):
    clean = {"name": "folium", "version": "0.20.0", "vulns": []}
    found = {"name": "jinja2", "version": "3.0.0", "vulns": [{"id": "GHSA-x", "fix_versions": ["3.1.6"]}]}
    skipped = {"name": "tornado", "skip_reason": "Dependency not found on PyPI and could not be audited: tornado (6.5)"}
    assert _audit(monkeypatch, [clean], {}) == 0
    assert _audit(monkeypatch, [clean, found], {}) == 1
    assert "VULNERABLE jinja2 3.0.0: GHSA-x (fixed in 3.1.6)" in capsys.readouterr().err
    assert _audit(monkeypatch, [clean, skipped], {"tornado": ("6.5", [])}) == 0
    assert _audit(monkeypatch, [clean, skipped], {"tornado": ("6.5", ["PYSEC-1"])}) == 1
    assert "VULNERABLE tornado 6.5: PYSEC-1" in capsys.readouterr().err


def test_a_package_the_audit_could_not_check_is_named_and_fails_when_strict(monkeypatch, capsys):
    skipped = {"name": "numpy", "skip_reason": "Dependency not found on PyPI and could not be audited: numpy (2.4.6)"}
    assert _audit(monkeypatch, [skipped], {"numpy": ("2.5.5", [])}) == 0
    err = capsys.readouterr().err
    assert "NOT AUDITED" in err and "numpy 2.4.6" in err
    assert _audit(monkeypatch, [skipped], {"numpy": ("2.5.5", [])}, "--strict") == 1
