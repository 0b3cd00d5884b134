"""Test modules stand alone: shared builders live in tests/builders.py, what the machine offers
(PostgreSQL, Chromium, the fixture content) in tests/environment.py and fixtures in conftest.py,
so a test file can be read, moved or deleted on its own. A test module imports neither another
test module nor conftest.py, and imports at its top, where a reader looks for them. Read as text
(not with ast.parse, which raced leaked threads on CPython 3.11, gh-106905)."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
IMPORTED_MODULE = re.compile(
    r"^(?P<indent>[ \t]*)(?:from\s+tests\.(?P<from>\w+)\s+import|import\s+tests\.(?P<plain>\w+))",
    re.M,
)


def layout_problems(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.py")):
        for match in IMPORTED_MODULE.finditer(path.read_text(encoding="utf-8")):
            module = match["from"] or match["plain"]
            if module.startswith("test_") or module == "conftest":
                found.append(f"{path.name} imports {module}")
            elif match["indent"]:
                found.append(f"{path.name} imports {module} inside a function")
    return found


def test_the_check_finds_each_way_a_module_can_lean_on_another(tmp_path):
    (tmp_path / "test_a.py").write_text("def helper():\n    pass\n")
    (tmp_path / "test_b.py").write_text("def test_x():\n    from tests.test_a import helper\n")
    (tmp_path / "test_c.py").write_text("from tests.builders import make_user\n")
    (tmp_path / "test_d.py").write_text("from tests.conftest import PG_URL\n")
    (tmp_path / "test_e.py").write_text("def test_y():\n    from tests.builders import ask\n")
    assert layout_problems(tmp_path) == [
        "test_b.py imports test_a",
        "test_d.py imports conftest",
        "test_e.py imports builders inside a function",
    ]


def test_every_test_module_stands_alone():
    assert layout_problems(TESTS) == []
