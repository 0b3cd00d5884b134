"""The README's architecture section is the map a new contributor reads first: every module of
the package outside a blueprint's own pages (and the migrations) is named there, so a module
added, moved or renamed without the map fails here."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "helpcenter"


def architecture_section(readme: str) -> str:
    return readme.split("\n## Architecture\n", 1)[1].split("\n## ", 1)[0]


def unnamed_modules(package: Path, section: str) -> list[str]:
    named = set(re.findall(r"`([\w/.]+?)(?:\.py)?`", section))
    named |= {part for name in named for part in name.strip("/").split("/")}
    missing = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        if parts[0] == "migrations" or (parts[0] == "blueprints" and len(parts) > 2):
            continue  # migrations, and a blueprint's page modules, are found from their package
        name = path.parent.name if path.name == "__init__.py" else path.stem
        if name not in named:
            missing.append(str(path.relative_to(package)))
    return missing


def test_the_check_finds_a_module_the_map_leaves_out(tmp_path):
    (tmp_path / "services" / "billing").mkdir(parents=True)
    for name in (
        "services/__init__.py",
        "services/billing/__init__.py",
        "services/billing/invoices.py",
        "jobs.py",
    ):
        (tmp_path / name).write_text("")
    section = "- `services/`: `billing/`. `jobs.py`: durable jobs."
    assert unnamed_modules(tmp_path, section) == ["services/billing/invoices.py"]


def test_every_module_is_on_the_readme_map():
    section = architecture_section((ROOT / "README.md").read_text(encoding="utf-8"))
    assert unnamed_modules(PACKAGE, section) == []
