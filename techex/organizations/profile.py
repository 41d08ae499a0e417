"""Sections the domains above add to an organisation's public page (its listings today; its services, experts and
events to come).

Organisations stand below the domains whose rows the page lists, so each of them registers a section here at
start-up (in its ``AppConfig.ready()``) and the page shows them in that order (docs/architecture.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from .models import Organization


@dataclass(frozen=True)
class Section:
    template: str  # included with the page's context plus ``section``
    context: dict[str, Any] = field(default_factory=dict)


SectionProvider = Callable[[HttpRequest, Organization], Section | None]

_PROVIDERS: list[SectionProvider] = []


def register(provider: SectionProvider) -> None:
    """Add a section; registering the same function again (a repeated ``ready()``) changes nothing."""
    name = f"{provider.__module__}.{provider.__qualname__}"
    if all(f"{known.__module__}.{known.__qualname__}" != name for known in _PROVIDERS):
        _PROVIDERS.append(provider)


def profile_sections(request: HttpRequest, organization: Organization) -> list[Section]:
    """The sections of the organisation's page, in the order they were registered."""
    sections = (provider(request, organization) for provider in _PROVIDERS)
    return [section for section in sections if section is not None]
