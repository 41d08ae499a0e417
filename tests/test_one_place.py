"""One place for each concept: these tests read the source and fail when a second copy of a shared definition
appears (docs/architecture.md lists where each one lives)."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT / "techex"


def _modules(*, tests: bool = False) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(CODE.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if "migrations" in parts or (("tests" in parts) != tests):
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def _string_sequences(tree: ast.Module) -> Iterator[tuple[ast.AST, set[str]]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            strings = {elt.value for elt in node.elts if isinstance(elt, ast.Constant) and isinstance(elt.value, str)}
            if strings:
                yield node, strings


def _copies_of(names: tuple[str, ...], *, allowed: set[str], at_least: int) -> list[str]:
    """Literal lists that spell out ``at_least`` of ``names``, outside the ``allowed`` definitions."""
    found = []
    for path, tree in _modules():
        for node, strings in _string_sequences(tree):
            where = _where(path, node)
            if len(strings & set(names)) >= at_least and where not in allowed:
                found.append(where)
    return found


def _line_of(module_path: str, name: str) -> str:
    """Where ``name = ...`` is assigned at the top of a module (the one allowed definition)."""
    path = ROOT / module_path
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            return _where(path, node.value)
    raise AssertionError(f"{name} is not assigned in {module_path}")


def test_the_prose_fields_of_a_listing_are_spelt_out_once():
    from techex.listings.models import PROSE_FIELDS

    allowed = {
        _line_of("techex/listings/models.py", "PROSE_FIELDS"),
        # The columns of the import and export file: a documented file format, not the prose fields.
        _line_of("techex/listings/tabular.py", "COLUMNS"),
    }
    # Five or more: the offer-only and need-only triples of the editor are another concept.
    assert _copies_of(PROSE_FIELDS, allowed=allowed, at_least=5) == []


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("TextField", "techex/core/forms.py"),
        ("add_service_errors", "techex/core/forms.py"),
        ("wants_partial", "techex/core/htmx.py"),
        ("limited_text", "techex/core/text.py"),
        ("too_long_message", "techex/core/text.py"),
        ("staff_page", "techex/core/permissions.py"),
        ("open_proposal", "techex/deals/selectors.py"),
        ("current_nda", "techex/deals/selectors.py"),
        ("require_staff", "techex/core/permissions.py"),
        ("is_staff", "techex/core/permissions.py"),
    ],
)
def test_a_shared_helper_is_defined_once(name, home):
    definitions = [
        _where(path, node)
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name.lstrip("_") == name
    ]
    assert len(definitions) == 1, definitions
    assert definitions[0].startswith(home)


def _translated(start: str) -> list[str]:
    """Where a message starting with ``start`` is marked for translation."""
    return [
        _where(path, node).split(":")[0]
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_", "_l", "gettext", "gettext_lazy"}
        and any(isinstance(arg, ast.Constant) and str(arg.value).startswith(start) for arg in node.args)
    ]


@pytest.mark.parametrize(
    ("message", "home"),
    [
        ("Keep this under", "techex/core/text.py"),
        ("Only the exchange's staff may do this.", "techex/core/permissions.py"),
    ],
)
def test_a_shared_message_is_written_once(message, home):
    assert _translated(message) == [home]


def test_the_staff_gate_of_pages_and_api_says_the_same():
    from techex.core.api import IsStaff
    from techex.core.permissions import STAFF_ONLY

    assert IsStaff.message is STAFF_ONLY


def test_views_ask_wants_partial_instead_of_reading_request_htmx():
    readers = [
        _where(path, node)
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "htmx" and path != CODE / "core" / "htmx.py"
    ]
    assert readers == []


def test_the_open_proposal_and_the_current_nda_are_read_through_one_queryset_each():
    """``Proposal.objects.open()`` and ``NDA.objects.current()`` hold the conditions the constraints use."""
    found = [
        _where(path, node)
        for path, tree in _modules()
        if path != CODE / "deals" / "models.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword)
        and node.arg == "status"
        and isinstance(node.value, ast.Attribute)
        and ast.unparse(node.value) in {"ProposalStatus.OPEN", "NDAStatus.CANCELLED"}
    ]
    assert found == []


def test_the_reference_code_of_the_api_is_defined_once():
    from config.api import urlpatterns  # noqa: F401 (the matches route reads the pattern too)
    from techex.core.api import REFERENCE_CODE_PATTERN
    from techex.core.models import REFERENCE_CODE_MAX_LENGTH
    from techex.deals.api.views import DealViewSet
    from techex.deals.models import Deal
    from techex.listings.api.views import ListingViewSet
    from techex.listings.models import Listing

    for model in (Listing, Deal):
        assert model._meta.get_field("reference_code").max_length == REFERENCE_CODE_MAX_LENGTH
    for viewset in (ListingViewSet, DealViewSet):
        assert (viewset.lookup_field, viewset.lookup_value_regex) == ("reference_code", REFERENCE_CODE_PATTERN)
    parameters = [
        _where(path, node)
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and ast.unparse(node.func).endswith("OpenApiParameter")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "reference_code"
    ]
    assert [where.split(":")[0] for where in parameters] == ["techex/core/api.py"]
    spelt = [path for path in [*CODE.rglob("*.py"), ROOT / "config" / "api.py"] if "A-Za-z0-9-]{1," in path.read_text()]
    assert spelt == [], spelt


def test_the_deal_template_tags_ask_the_selectors_who_may_see_the_owner():
    source = (CODE / "deals" / "templatetags" / "deal_tags.py").read_text()
    assert "owner_visible(" in source
    assert "deal_roles" not in source


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def _calls(function: ast.FunctionDef) -> set[str]:
    return {ast.unparse(node.func).split(".")[-1] for node in ast.walk(function) if isinstance(node, ast.Call)}


def test_who_may_see_a_listing_its_owner_or_a_deal_is_decided_in_one_place():
    """Template tags, views and the API ask the rules (``listings.models.open_rule`` / ``identity_rule``,
    ``deals.models.side_rules``) through ``visible_to`` and the selectors; none reads the facts itself."""
    # Nothing outside the models, selectors and services reads whether a listing is anonymous to decide who sees it.
    deciders = [
        _where(path, node)
        for path, tree in _modules()
        if {"templatetags", "views", "api"} & set(path.relative_to(ROOT).parts)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"is_anonymous", "forwarded_at"} and not _is_message(node)
    ]
    assert deciders == [], deciders
    tags = _functions(CODE / "listings" / "templatetags" / "listing_tags.py")
    assert "user_sees_identity" in _calls(tags["identity_visible"])
    deal_tags = _functions(CODE / "deals" / "templatetags" / "deal_tags.py")
    assert _calls(deal_tags["owner_name"]) & {"owner_visible"}
    # The single getters fetch through visible_to, so forbidden and missing are the same 404.
    listing_selectors = _functions(CODE / "listings" / "selectors.py")
    deal_selectors = _functions(CODE / "deals" / "selectors.py")
    assert "visible_to" in _calls(listing_selectors["listing_get_for_user"])
    assert "visible_to" in _calls(deal_selectors["deal_get_for_user"])
    assert "taking_part" in _calls(deal_selectors["deal_list_for_user"])
    # The checks of an object already loaded are the same rules read in memory.
    assert "is_identity_visible_to" in _calls(listing_selectors["user_sees_identity"])
    assert "is_visible_to" in _calls(listing_selectors["listing_visible_to"])
    permissions = _functions(CODE / "deals" / "permissions.py")
    assert {"side_rules", "matches"} <= _calls(permissions["deal_roles"])


def _is_message(node: ast.Attribute) -> bool:
    # deals/views/pages.py picks the confirmation message by whether the inquiry went to the broker: not visibility.
    return ast.unparse(node) == "deal.forwarded_at"


def _test_modules() -> Iterator[tuple[Path, ast.Module]]:
    """Every test module and conftest but the root conftest.py, which holds the shared fixtures."""
    yield from _modules(tests=True)
    for path in sorted((ROOT / "tests").rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_queries_are_counted_by_the_one_fixture_of_the_root_conftest():
    """``count_queries`` (conftest.py) is the tests' query counter: no module captures queries its own way."""
    own_ways = {"CaptureQueriesContext", "assertNumQueries", "django_assert_num_queries", "reset_queries"}
    found = [
        _where(path, node)
        for path, tree in _test_modules()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id in own_ways)
        or (isinstance(node, ast.Attribute) and (node.attr in own_ways or ast.unparse(node) == "connection.queries"))
        or (isinstance(node, ast.ImportFrom | ast.Import) and {alias.name for alias in node.names} & own_ways)
        or (isinstance(node, ast.arg) and node.arg == "django_assert_num_queries")
        or (isinstance(node, ast.FunctionDef) and "count_queries" in node.name)
    ]
    assert found == [], found
