"""The layers of docs/DEVELOPING.md are one-directional: a module imports
only layers above it in the table (STYLE.md). This walks every import
statement of the package (lazy ones inside functions included) and names
each one that reaches down."""

from __future__ import annotations

import ast
from pathlib import Path

import closekit

# The layer table of docs/DEVELOPING.md, top first; one rank per row.
# errors.py is the foundation every layer may raise from; statements/flows.py,
# node_flows.py and segments.py are written by consolidation (SPEC 19.1): they share its rank.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors",),
    ("workspace",),
    ("progress",),
    ("db",),
    ("periods",),
    ("snapshot",),
    ("snapshot_changes",),
    ("status",),
    ("audit_log",),
    ("fx",),
    ("io",),
    ("master",),
    ("validate",),
    ("load",),
    ("post", "revalue"),
    ("ledger",),
    ("consolidation", "statements.flows", "statements.node_flows", "statements.segments"),
    ("inputs",),
    ("close_status",),
    ("statements",),
    ("allocate", "manage", "manage_lines", "manage_locked", "vertical"),
    ("checks",),
    ("report",),
    ("queries",),
    ("pipeline",),
    ("sample",),
    ("bench", "bench_load", "bench_journal", "bench_journal_files", "bench_events"),
    ("api",),
    ("cli",),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
PACKAGE = Path(closekit.__file__).parent


def layer(module: str) -> int | None:
    """The rank of a dotted module below ``closekit`` (its longest listed prefix)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        rank = RANK.get(".".join(parts[:n]))
        if rank is not None:
            return rank
    return None


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [
        (line, name[len("closekit.") :]) for line, name in found if name.startswith("closekit.")
    ]


def downward_imports() -> list[str]:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        own = layer(module)
        if own is None:
            continue
        for line, target in imported(ast.parse(path.read_text(encoding="utf-8"))):
            theirs = layer(target)
            if theirs is not None and theirs > own:
                wrong.append(f"closekit/{path.relative_to(PACKAGE)}:{line} imports {target}")
    return wrong


def test_every_module_imports_only_layers_above_it() -> None:
    assert downward_imports() == []


def test_every_package_module_has_a_layer() -> None:
    """A new top-level module or package is added to the table (here and in
    docs/DEVELOPING.md), so the rule above covers it."""
    unlisted = [
        p.name
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
        and p.stem not in ("__init__", "__main__")
        and layer(p.stem) is None
    ]
    assert unlisted == []


def test_a_downward_import_is_named() -> None:
    """The walk finds a lazy import inside a function (as load/topside.py's
    import of consolidation/structure.py was)."""
    tree = ast.parse("def f():\n    from closekit.consolidation.structure import x\n")
    assert imported(tree) == [(2, "consolidation.structure")]
    assert layer("load.topside") == RANK["load"] < RANK["consolidation"]
