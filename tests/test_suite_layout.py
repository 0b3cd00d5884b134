"""No test module imports from another: shared builders live in tests/builders.py and shared
fixtures in conftest.py, so a test file can be read, moved or deleted on its own. Read as text
(not with ast.parse, which raced leaked threads on CPython 3.11, gh-106905)."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CROSS_IMPORT = re.compile(
    r"^\s*(?:from\s+tests\.(test_\w+)\s+import|import\s+tests\.(test_\w+))", re.M
)


def cross_imports(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.glob("test_*.py")):
        for match in CROSS_IMPORT.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.name} imports {match.group(1) or match.group(2)}")
    return found


def test_the_check_finds_a_test_module_importing_another(tmp_path):
    (tmp_path / "test_a.py").write_text("def helper():\n    pass\n")
    (tmp_path / "test_b.py").write_text("def test_x():\n    from tests.test_a import helper\n")
    (tmp_path / "test_c.py").write_text("from tests.builders import make_user\n")
    assert cross_imports(tmp_path) == ["test_b.py imports test_a"]


def test_no_test_module_imports_from_another():
    assert cross_imports(TESTS) == []
