"""Dependencies point one way, between packages and between the wings of store/.

commands → store, bot → commands; store/ knows nothing of Discord. Inside store/, ``index``
imports no other wing, ``catalog`` builds on ``index``, ``loading`` and ``chat`` build on both,
and only the cogs use ``chat`` (the CLI and the bot's start-up never need it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What each part may import (besides the standard library and third-party packages, and
# itself). "store" is store/'s shared top level: text, categories, summary, links, …
ALLOWED: dict[str, set[str]] = {
    "store.index": {"store"},
    "store.catalog": {"store.index", "store"},
    "store.loading": {"store.catalog", "store.index", "store"},
    "store.chat": {"store.catalog", "store.index", "store"},
    "store": {"store.catalog", "store.index"},
    "commands": {"store.catalog", "store.index", "store.chat", "store"},
    "bot": {"commands", "store.catalog", "store.loading", "store.index", "store"},
}
PARTS = ("store.index", "store.catalog", "store.loading", "store.chat", "store", "commands", "bot")
OURS = {"store", "commands", "bot"}
FOREIGN_TO_STORE = ("discord", "aiohttp", "click")


def part_of(module: str) -> str | None:
    """The wing or package a dotted module belongs to (None: not ours)."""
    return next((p for p in PARTS if module == p or module.startswith(p + ".")), None)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function; relative imports fail."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import (write the whole path)"
            assert node.module is not None
            if node.module in OURS:  # "from store import categories" imports store.categories
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            else:
                names.add(node.module)
    return names


def module_of(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def violations(paths: list[Path], root: Path = ROOT) -> set[str]:
    found = set()
    for path in paths:
        module = module_of(path, root)
        own = part_of(module)
        assert own is not None, path
        for name in imported_modules(path):
            if name.split(".")[0] in FOREIGN_TO_STORE and own.startswith("store"):
                found.add(f"{module} imports {name}")
            target = part_of(name)
            if target is not None and target != own and target not in ALLOWED[own]:
                found.add(f"{module} ({own}) imports {name} ({target})")
    return found


def sources() -> list[Path]:
    return sorted(p for package in OURS for p in (ROOT / package).rglob("*.py"))


def test_every_part_imports_only_what_it_may() -> None:
    files = sources()
    assert len(files) > 60
    assert violations(files) == set()


def test_every_wing_has_files_and_says_what_it_is_for() -> None:
    for wing in ("store/catalog", "store/loading", "store/index", "store/chat", "commands/ui"):
        init = ROOT / wing / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "\n" not in doc.strip(), f"{wing}: a one-line docstring"
        assert len(list((ROOT / wing).glob("*.py"))) > 1


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("store/index/bad.py", "from store.catalog.catalog import Catalog"),
        ("store/catalog/bad.py", "from store.loading import loader"),
        ("store/loading/bad.py", "def f():\n    from store.chat.answers import answer"),
        ("bot/bad.py", "from store import chat"),
        ("store/bad.py", "import discord"),
        ("commands/bad.py", "from store.loading.loader import load_into"),
    ],
)
def test_the_check_catches_a_wrong_import(tmp_path: Path, module: str, line: str) -> None:
    """The rule above is only as good as its checker: each of these must be flagged."""
    path = tmp_path / module
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(line + "\n", encoding="utf-8")
    assert len(violations([path], root=tmp_path)) == 1


def test_commands_keep_the_cogs_at_the_top() -> None:
    """A reader sees one file per feature first; what they share is in commands/ui/."""
    top = {p.stem for p in (ROOT / "commands").glob("*.py")} - {"__init__"}
    assert top == {"papers", "authors", "random_paper", "search", "info", "daily", "chat", "message_menu"}
    for name in top:
        assert "async def setup(" in (ROOT / "commands" / f"{name}.py").read_text(encoding="utf-8"), name
