"""Values the deal services take and the selectors return."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ProposalTerms:
    """The terms of a proposal: the transfer under Law 07/2017 and what it costs.

    At least one of ``price_vnd`` and ``royalty_percent`` is required (the service says so if both are missing).
    """

    contract_form: str
    transfer_objects: tuple[str, ...]
    licence: str
    price_vnd: int | None = None
    royalty_percent: Decimal | None = None
    exclusive: bool = False
    territory: str = ""
    term_months: int | None = None
    technical_assistance: str = ""
    note: str = ""


@dataclass(frozen=True)
class ContractTerms:
    """What a recorded contract says, and the facts that decide whether it must be registered (Art. 31)."""

    contract_form: str
    transfer_objects: tuple[str, ...]
    licence: str
    signed_on: date
    value_vnd: int | None = None
    royalty_percent: Decimal | None = None
    exclusive: bool = False
    territory: str = ""
    term_months: int | None = None
    cross_border: str = "domestic"
    state_budget: bool = False
    st_task_registered: bool = False


@dataclass(frozen=True)
class FunnelStage:
    """How many deals reached a stage, and what the agreed or contract values of those that have one add up to."""

    stage: str
    label: str
    count: int
    value_vnd: int


@dataclass(frozen=True)
class Contact:
    """How to reach one side of a deal once the contacts are revealed."""

    side: str
    organization_name: str
    organization_email: str
    organization_phone: str
    organization_address: str
    organization_website: str
    person_name: str = ""
    person_email: str = ""
    person_phone: str = ""


@dataclass
class TimelineEntry:
    """One event of a deal, from its audit trail: a transition, a message, a proposal, an NDA or contract step."""

    at: datetime
    action: str
    label: str
    side: str = ""
    actor: Any = None
    data: dict = field(default_factory=dict)
    message: Any = None
    proposal: Any = None
