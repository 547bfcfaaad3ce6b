"""mypy over the product code, with the settings in pyproject.toml (strict on store/ and commands/).

Run as a test so that the README's one test command (and CI, which runs exactly it) checks types.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_errors() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy"],  # files, strictness and cache dir come from pyproject.toml
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
