"""No two modules of the package import each other, directly or round a loop, at import time.

Imports at module scope form a graph; any strongly connected group of two or more modules is a
cycle (imports inside functions run later and are left out). Blueprint objects live in their own
modules so page modules never need to import one another to register their routes."""

import io
import tokenize
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "helpcenter"


def top_level_imports(source: str) -> list[tuple[str, list[str]]]:
    """(module, names) of each import statement at module scope, read with the tokenizer (pure
    Python: `ast.parse` raced a leaked thread on CPython 3.11, gh-106905)."""
    statements: list[list[str]] = []
    current: list[str] | None = None
    depth = 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.INDENT:
            depth += 1
        elif token.type == tokenize.DEDENT:
            depth -= 1
        elif current is None and depth == 0 and token.start[1] == 0 and token.type == tokenize.NAME:
            if token.string in ("import", "from"):
                current = [token.string]
        elif current is not None:
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                statements.append(current)
                current = None
            elif token.type in (tokenize.NAME, tokenize.OP) and token.string not in "()":
                current.append(token.string)
    found = []
    for words in statements:
        text = " ".join(words).replace(" . ", ".").replace(" .", ".").replace(". ", ".")
        if words[0] == "from":
            module, _, names = text.removeprefix("from ").partition(" import ")
        else:
            module, names = "", text.removeprefix("import ")
        imported = [part.split(" as ")[0].strip() for part in names.split(",")]
        found.append((module.strip(), [name for name in imported if name]))
    return found


def module_graph() -> dict[str, set[str]]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for module, names in top_level_imports(path.read_text(encoding="utf-8")):
            if module.startswith("."):
                continue  # the package uses absolute imports only
            targets = [module, *(f"{module}.{n}" for n in names)] if module else names
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(group)
    return found


def test_the_checker_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_the_graph_holds_module_level_imports_and_leaves_out_deferred_ones():
    source = (
        "from __future__ import annotations\n"
        "import os, helpcenter.a as a\n"
        "from helpcenter.b import (\n    c,\n    d as e,\n)\n"
        "def f():\n    from helpcenter import z\n"
        "if True:\n    import helpcenter.y\n"
    )
    assert top_level_imports(source) == [
        ("__future__", ["annotations"]),
        ("", ["os", "helpcenter.a"]),
        ("helpcenter.b", ["c", "d"]),
    ]
    graph = module_graph()
    assert "helpcenter.services.insights.events" in graph["helpcenter.services.community.posts"]


def test_the_package_has_no_import_cycle():
    assert cycles(module_graph()) == []
