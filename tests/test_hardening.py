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
    [
        b"-----BEGIN OPENSSH PRIVATE KEY-----",
        b"key = AKIAIOSFODNN7EXAMPLE",
        b'api_key = "s3cr3t-value-123"',
        b"ghp_" + b"a1" * 18,
        b"xoxb-1234567890-abcdef",
    ],  # fmt: skip
)
def test_the_secret_scan_catches(sample):
    assert any(pattern.search(sample) for pattern in SECRETS.values())


def test_dependency_audit_is_pinned_and_strict():
    assert re.search(r"^pip-audit==\d+\.\d+\.\d+$", (ROOT / "requirements-dev.txt").read_text(), re.M)
    script = (ROOT / "test").read_text()
    audit = re.search(r"pip-audit ([^\n]*\\\n[^\n]*)", script).group(1)
    for flag in ("-s pypi", "--strict", "-r requirements.txt", "-r requirements-dev.txt"):
        assert flag in audit, f"./test's pip-audit lacks {flag}"
    assert script.rstrip().endswith('exit "$status"') and '.venv/bin/python -m pytest "$@"' in script
