"""Every public service and selector takes typed, keyword-only arguments and says what it returns.

mypy's ``disallow_untyped_defs`` on these modules (pyproject.toml) catches a missing annotation; it cannot catch a
positional parameter. This test names each offender. A module whose name starts with ``_`` (``services/_common.py``)
is its package's plumbing: its functions must be typed, and keyword-only only when the package exports them.
"""

import ast
from pathlib import Path

import techex

PACKAGE = Path(techex.__file__).parent


def _modules() -> list[Path]:
    found = [*PACKAGE.glob("*/services.py"), *PACKAGE.glob("*/services/*.py"), *PACKAGE.glob("*/selectors.py")]
    return sorted(path for path in found if path.name != "__init__.py")


def _exported(package: Path) -> set[str]:
    """The names a ``services/`` package lists in ``__all__``: public, whichever module defines them."""
    init = package / "__init__.py"
    if not init.exists():
        return set()
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def _offences(
    source: str, where: str, *, private_module: bool = False, exported: frozenset[str] = frozenset()
) -> list[str]:
    tree = ast.parse(source)
    offences = []
    # Only module-level functions: a class's methods are not the domain's public entry points.
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
            continue
        name = f"{where}:{node.lineno} {node.name}"
        args = node.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        if positional and (not private_module or node.name in exported):
            offences.append(f"{name}: positional parameter(s) {', '.join(positional)} (add `*,` first)")
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None and arg.annotation is None:
                offences.append(f"{name}: parameter {arg.arg} has no annotation")
        if node.returns is None:
            offences.append(f"{name}: no return annotation")
    return offences


def test_the_walk_finds_the_service_and_selector_modules():
    names = {str(path.relative_to(PACKAGE)) for path in _modules()}
    assert {"listings/selectors.py", "listings/services/lifecycle.py", "deals/services/nda.py"} <= names


def test_public_services_and_selectors_take_typed_keyword_only_arguments():
    offences = [
        offence
        for path in _modules()
        for offence in _offences(
            path.read_text(encoding="utf-8"),
            str(path.relative_to(PACKAGE.parent)),
            private_module=path.name.startswith("_"),
            exported=frozenset(_exported(path.parent)),
        )
    ]
    assert not offences, "\n".join(offences)


def test_the_check_catches_a_positional_or_untyped_parameter():
    source = "def listing_thing(listing, *, user) -> None: ...\ndef _private(x): ...\ndef ok(*, n: int) -> int: ...\n"
    assert _offences(source, "sample.py") == [
        "sample.py:1 listing_thing: positional parameter(s) listing (add `*,` first)",
        "sample.py:1 listing_thing: parameter listing has no annotation",
        "sample.py:1 listing_thing: parameter user has no annotation",
    ]
    helper = "def locked(deal: int) -> int: ...\ndef listing_thing(listing: int) -> int: ...\ndef untyped(deal): ...\n"
    assert _offences(helper, "_common.py", private_module=True, exported=frozenset({"listing_thing"})) == [
        "_common.py:2 listing_thing: positional parameter(s) listing (add `*,` first)",
        "_common.py:3 untyped: parameter deal has no annotation",
        "_common.py:3 untyped: no return annotation",
    ]
