"""The tests themselves: a test module never imports another one (what they share lives in
tests/helpers/ or in a conftest.py), so that moving or deleting a test file breaks nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_no_test_module_imports_another() -> None:
    found = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if (
                    parts[0] == "tests"
                    and "helpers" not in parts
                    and any(p.startswith("test_") for p in parts)
                ):
                    found.append(f"{path.relative_to(TESTS)}:{node.lineno} {name}")
    assert found == []
