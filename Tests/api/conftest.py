"""The session-wide `freshet demo` of Tests/examples/conftest.py (same binary lookup:
$FRESHET_BIN or .build/debug/freshet), for checking the API against its OpenAPI document."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

_spec = importlib.util.spec_from_file_location("freshet_examples_conftest", REPO / "Tests" / "examples" / "conftest.py")
assert _spec and _spec.loader
_examples = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _examples
_spec.loader.exec_module(_examples)

Demo = _examples.Demo
demo = _examples.demo  # the session fixture, re-exported
