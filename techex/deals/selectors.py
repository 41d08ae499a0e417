"""Reads of deals: the only place that knows who may see what.

Nobody but the two parties, the deal's broker and staff may read a deal, its messages, proposals, NDA, contract
or files; for anyone else every address answers the same 404 as a deal that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Aggregate, Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techex.core.api import is_lookup_safe
from techex.core.models import REFERENCE_CODE_MAX_LENGTH, AuditEntry
from techex.core.permissions import is_staff as _is_staff
from techex.departments.scope import can_act
from techex.departments.selectors import in_queue
from techex.organizations.choices import OrganizationType
from techex.organizations.models import Membership, Organization
from techex.organizations.selectors import user_organization_ids

from . import permissions
from .choices import DealAction, DealStage, NDAStatus, ProposalStatus, Side
from .choices import DealAuditAction as A
from .filtersets import DealFilterSet
from .models import NDA, Deal, DealAttachment, DealMessage, NDATemplate, Proposal
from .permissions import deal_roles
from .states import FUNNEL, OPEN_STAGES
from .types import Contact, ContractTerms, FunnelStage, TimelineEntry

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User
    from techex.departments.models import Department
    from techex.listings.models import Listing

TOKEN_LENGTH = 32
# What a deal page shows of its sides and state, fetched with the deal.
DEAL_RELATIONS = ("listing", "owner_organization", "inquirer_organization", "broker", "contract", "inquirer")


def with_relations(*, qs: QuerySet[Deal]) -> QuerySet[Deal]:
    """Fetch with each deal what the rules read: its sides, its contract, its open proposal and current NDA."""
    return qs.select_related(*DEAL_RELATIONS).prefetch_related(
        Prefetch("proposals", queryset=Proposal.objects.open(), to_attr="open_proposals"),
        Prefetch(
            "ndas",
            queryset=NDA.objects.current().select_related("template"),
            to_attr="current_ndas",
        ),
    )


def open_proposal(*, deal: Deal) -> Proposal | None:
    """The deal's proposal awaiting an answer: fetched with the deal by ``with_relations``, else read now."""
    if hasattr(deal, "open_proposals"):
        return deal.open_proposals[0] if deal.open_proposals else None
    return deal.proposals.open().first()


def current_nda(*, deal: Deal) -> NDA | None:
    """The deal's NDA that is requested or in force (a cancelled one is history); fetched with the deal or read now."""
    if hasattr(deal, "current_ndas"):
        return deal.current_ndas[0] if deal.current_ndas else None
    return deal.ndas.current().select_related("template").first()


# --- one deal ------------------------------------------------------------------------------------------------------


def deal_get_for_user(*, user: User | AnonymousUser, reference_code: str) -> Deal:
    """Return a deal the user may read; missing and forbidden are the same 404."""
    if not isinstance(reference_code, str) or not is_lookup_safe(reference_code, REFERENCE_CODE_MAX_LENGTH):
        raise Http404
    deal = with_relations(qs=Deal.objects.visible_to(user).filter(reference_code=reference_code)).first()
    if deal is None:
        raise Http404
    return deal


def deal_role(*, user: User | AnonymousUser, deal: Deal) -> set[str]:
    """The sides the user may act for in the deal: any of ``owner``, ``inquirer``, ``broker``, ``staff``."""
    return set(deal_roles(user, deal))


def deal_actions_for_user(
    *, user: User | AnonymousUser, deal: Deal, roles: AbstractSet[str] | None = None
) -> list[DealAction]:
    """The actions (``permissions.ACTIONS`` names) the user may take on the deal now; the services agree."""
    roles = deal_roles(user, deal) if roles is None else roles
    if not roles:
        return []
    proposal, nda = open_proposal(deal=deal), current_nda(deal=deal)
    actions: list[DealAction] = []
    for action in permissions.ACTIONS:
        if action == DealAction.PROPOSE:
            allowed = permissions.can(action, user=user, deal=deal, roles=roles, proposal=proposal)
        elif action.startswith("proposal_"):
            allowed = proposal is not None and permissions.can(
                action, user=user, deal=deal, roles=roles, proposal=proposal
            )
        elif action == DealAction.NDA_REQUEST:
            allowed = permissions.can(action, user=user, deal=deal, roles=roles, nda=nda)
        elif action.startswith("nda_"):
            allowed = nda is not None and permissions.can(action, user=user, deal=deal, roles=roles, nda=nda)
        else:
            allowed = permissions.can(action, user=user, deal=deal, roles=roles)
        if allowed:
            actions.append(action)
    return actions


# Actions that mean the deal waits for this user: answering, confirming, recording, completing.
AWAITING_ACTIONS = frozenset(
    {
        "forward",
        "accept",
        "proposal_accept",
        "nda_accept",
        "nda_confirm",
        "contract_record",
        "registration_update",
        "complete",
    }
)


def _awaits(user: User | AnonymousUser, deal: Deal) -> bool:
    # Staff follow every deal from their own list; "awaiting me" is about the user's part in the deal.
    roles = deal_roles(user, deal) - {Side.STAFF}
    actions = set(deal_actions_for_user(user=user, deal=deal, roles=roles))
    nda = current_nda(deal=deal)
    if "nda_upload" in actions and nda is not None and not nda.signed_file:
        return True
    return bool(actions & AWAITING_ACTIONS)


def contacts_visible(*, user: User | AnonymousUser, deal: Deal) -> bool:
    """Whether the user sees both sides' contacts: once the inquiry is accepted (the broker and staff always)."""
    roles = deal_roles(user, deal)
    if not roles:
        return False
    return bool(roles & {Side.STAFF, Side.BROKER}) or deal.accepted_at is not None


def owner_visible(*, user: User | AnonymousUser, deal: Deal) -> bool:
    """Whether the user may know who owns the listing: an anonymous owner is named once the inquiry is accepted."""
    if can_act(user, deal):  # staff of the deal's department see it always (and need no membership read)
        return True
    roles = deal_roles(user, deal)
    if not roles:
        return False
    if not deal.listing.is_anonymous or deal.accepted_at is not None:
        return True
    return bool(roles & {Side.STAFF, Side.BROKER, Side.OWNER})


def _organization_contact(side: str, organization: Organization, person: User | None = None) -> Contact:
    # The organisation's e-mail and phone are left out where they are the person's own: said once is enough.
    person_email = person.email if person else ""
    person_phone = person.phone if person else ""
    return Contact(
        side=side,
        organization_name=organization.name,
        organization_email="" if organization.email.casefold() == person_email.casefold() else organization.email,
        organization_phone="" if organization.phone == person_phone else organization.phone,
        organization_address=organization.full_address,
        organization_website=organization.website,
        person_name=person.get_full_name() if person else "",
        person_email=person_email,
        person_phone=person_phone,
    )


def _member_or_none(user: User | None, organization_id: int) -> User | None:
    if user is None or not user.is_active:
        return None
    return user if Membership.objects.filter(user=user, organization_id=organization_id).exists() else None


def deal_contacts(*, user: User | AnonymousUser, deal: Deal) -> list[Contact]:
    """How to reach the others: the broker always, both parties once the contacts are revealed."""
    contacts = []
    if contacts_visible(user=user, deal=deal):
        owner_person = _member_or_none(deal.accepted_by, deal.owner_organization_id) or _member_or_none(
            deal.listing.created_by, deal.owner_organization_id
        )
        inquirer_person = _member_or_none(deal.inquirer, deal.inquirer_organization_id)
        contacts.append(_organization_contact(Side.OWNER, deal.owner_organization, owner_person))
        contacts.append(_organization_contact(Side.INQUIRER, deal.inquirer_organization, inquirer_person))
    if deal.broker is not None and deal_roles(user, deal):
        contacts.append(_organization_contact(Side.BROKER, deal.broker))
    return contacts


def deal_messages(*, deal: Deal) -> QuerySet[DealMessage]:
    """The deal's thread, oldest first, with authors and files."""
    return deal.messages.select_related("author").prefetch_related("attachments").order_by("created_at", "id")


def deal_proposals(*, deal: Deal) -> QuerySet[Proposal]:
    """Every proposal of the deal, oldest first."""
    return deal.proposals.select_related("author", "responded_by", "counter_of").order_by("created_at", "id")


def proposal_get_for_deal(*, deal: Deal, pk: object) -> Proposal:
    """Return one of the deal's proposals; a proposal of another deal is a 404 like a missing one."""
    try:
        pk = int(str(pk))
    except ValueError as error:
        raise Http404 from error
    proposal = deal.proposals.select_related("deal").filter(pk=pk).first() if 0 < pk < 2**63 else None
    if proposal is None:
        raise Http404
    return proposal


def nda_template_current() -> NDATemplate | None:
    """The newest version of the exchange's standard NDA text."""
    return NDATemplate.objects.order_by("-version").first()


def contract_draft(*, deal: Deal) -> ContractTerms | None:
    """The terms of the accepted proposal as a contract to record, signed today; None if none was accepted."""
    proposal = deal.proposals.filter(status=ProposalStatus.ACCEPTED).order_by("-responded_at", "-id").first()
    if proposal is None:
        return None
    return ContractTerms(
        contract_form=proposal.contract_form,
        transfer_objects=tuple(proposal.transfer_objects),
        licence=proposal.licence,
        signed_on=timezone.localdate(),
        value_vnd=proposal.price_vnd,
        royalty_percent=proposal.royalty_percent,
        exclusive=proposal.exclusive,
        territory=proposal.territory,
        term_months=proposal.term_months,
    )


# --- files ---------------------------------------------------------------------------------------------------------


def attachment_get_for_user(
    *, user: User | AnonymousUser, token: str, reference_code: str | None = None
) -> DealAttachment:
    """Return a message's file if the user may read its deal (and, given a code, it belongs to that deal)."""
    if not isinstance(token, str) or len(token) != TOKEN_LENGTH or not is_lookup_safe(token, TOKEN_LENGTH):
        raise Http404
    attachment = DealAttachment.objects.select_related("deal").filter(token=token).first()
    if attachment is None or not deal_roles(user, attachment.deal):
        raise Http404
    if reference_code is not None and attachment.deal.reference_code != reference_code:
        raise Http404
    return attachment


def nda_file_get_for_user(*, user: User | AnonymousUser, reference_code: str) -> NDA:
    """Return the deal's current NDA with its signed document, if the user may read the deal."""
    deal = deal_get_for_user(user=user, reference_code=reference_code)
    nda = current_nda(deal=deal)
    if nda is None or not nda.signed_file:
        raise Http404
    return nda


def nda_in_force_for(*, user: User | AnonymousUser, listing: Listing) -> bool:
    """Whether the user's organisation holds an NDA in force on a live or completed deal about the listing."""
    orgs = user_organization_ids(user=user)
    if not orgs:
        return False
    return NDA.objects.filter(
        status=NDAStatus.IN_FORCE,
        deal__listing=listing,
        deal__inquirer_organization_id__in=orgs,
        deal__stage__in=[*OPEN_STAGES, DealStage.COMPLETED],
    ).exists()


# --- lists ---------------------------------------------------------------------------------------------------------


def deal_list_for_user(*, user: User | AnonymousUser, stage: str = "", awaiting: bool = False) -> QuerySet[Deal]:
    """The deals the user takes part in (as a party or broker), most recent activity first."""
    qs = Deal.objects.taking_part(user)
    if stage:
        qs = qs.filter(stage=stage)
    if awaiting:
        qs = qs.filter(pk__in=[deal.pk for deal in deal_awaiting(user=user)])
    return with_relations(qs=qs).order_by("-updated_at", "-id")


def deal_awaiting(*, user: User | AnonymousUser) -> list[Deal]:
    """The user's open deals that wait for the user to act, oldest activity first (the longest wait on top)."""
    deals = with_relations(qs=Deal.objects.taking_part(user).filter(stage__in=OPEN_STAGES)).order_by("updated_at", "id")
    return [deal for deal in deals if _awaits(user, deal)]


def deal_open_for_listing(*, user: User | AnonymousUser, listing: Listing) -> Deal | None:
    """The user's organisations' open deal about the listing, for a link on the listing page."""
    orgs = user_organization_ids(user=user)
    if not orgs:
        return None
    return Deal.objects.filter(listing=listing, inquirer_organization_id__in=orgs, stage__in=OPEN_STAGES).first()


def deal_list_for_staff(
    *, user: User | AnonymousUser, department: Department | None = None, filters: DealFilterSet | None = None
) -> QuerySet[Deal]:
    """Every deal in the user's staff scope, filtered, newest first (staff only: anyone else gets none); with
    ``department``, those in its queue (``departments.forms.queue_context``)."""
    if not _is_staff(user):
        return Deal.objects.none()
    qs: QuerySet[Deal] = Deal.objects.in_scope(user)  # a partner department's staff: its deals (docs/departments.md)
    if department is not None:
        qs = in_queue(queryset=qs, department=department)
    if filters:
        qs = filters.apply(qs)
    return with_relations(qs=qs).order_by("-created_at", "-id")


def deal_funnel(*, deals: QuerySet[Deal]) -> list[FunnelStage]:
    """For each stage of the funnel, how many of the deals reached it and the value of those (one query)."""
    aggregates: dict[str, Aggregate] = {}
    for stage, field in FUNNEL:
        reached = Q() if field == "created_at" else Q(**{f"{field}__isnull": False})
        aggregates[f"{stage}_count"] = Count("id", filter=reached)
        aggregates[f"{stage}_value"] = Sum("value_vnd", filter=reached)
    totals = Deal.objects.filter(pk__in=deals.values("pk")).aggregate(**aggregates)
    return [
        FunnelStage(
            stage=stage,
            label=str(DealStage(stage).label),
            count=totals[f"{stage}_count"] or 0,
            value_vnd=totals[f"{stage}_value"] or 0,
        )
        for stage, _field in FUNNEL
    ]


def broker_choices() -> QuerySet[Organization]:
    """The organisations staff may assign as brokers: intermediaries, by name."""
    return Organization.objects.filter(type=OrganizationType.INTERMEDIARY).order_by("name")


# --- timeline ------------------------------------------------------------------------------------------------------

TIMELINE_LABELS: dict[str, Any] = {  # keyed by DealAuditAction (a str): entries are read by their stored name
    A.INQUIRE: _("Inquiry sent"),
    A.FORWARD: _("Inquiry forwarded to the listing's owner"),
    A.ACCEPT: _("Inquiry accepted"),
    A.DECLINE: _("Deal declined"),
    A.WITHDRAW: _("Inquirer withdrew"),
    A.DROP: _("Deal dropped"),
    A.START_NEGOTIATION: _("Negotiation started"),
    A.AGREE: _("Terms agreed"),
    A.SIGN: _("Contract signed"),
    A.COMPLETE: _("Deal completed"),
    A.ASSIGN_BROKER: _("Broker changed"),
    A.MESSAGE: _("Message"),
    A.PROPOSAL: _("Proposal"),
    A.PROPOSAL_ACCEPT: _("Proposal accepted"),
    A.PROPOSAL_REJECT: _("Proposal rejected"),
    A.PROPOSAL_COUNTER: _("Counter-proposal"),
    A.PROPOSAL_WITHDRAW: _("Proposal withdrawn"),
    A.NDA_REQUEST: _("NDA requested"),
    A.NDA_ACCEPT: _("NDA accepted"),
    A.NDA_UPLOAD: _("Signed NDA uploaded"),
    A.NDA_CONFIRM: _("Signed NDA confirmed"),
    A.NDA_IN_FORCE: _("NDA in force"),
    A.NDA_CANCEL: _("NDA request cancelled"),
    A.CONTRACT_RECORD: _("Contract recorded"),
    A.CONTRACT_REGISTRATION: _("Contract registration updated"),
}


def _actor_shown(user: User | AnonymousUser | None, deal: Deal, side: str, viewer_roles: AbstractSet[str]) -> bool:
    if user is None or viewer_roles & {Side.STAFF, Side.BROKER} or side in viewer_roles:
        return True
    if side in {Side.BROKER, Side.STAFF}:
        return True
    return deal.accepted_at is not None


def deal_timeline(*, deal: Deal, user: User | AnonymousUser | None = None) -> list[TimelineEntry]:
    """Every recorded step of the deal in order, with its message or proposal.

    Read from the audit trail, which nobody can edit. Given the reader, a person of the other party is named only
    once the contacts are revealed (until then ``actor`` is None).
    """
    entries = list(
        AuditEntry.objects.filter(target_type=Deal._meta.label_lower, target_id=str(deal.pk))
        .select_related("actor")
        .order_by("id")
    )
    message_ids = [e.data.get("message") for e in entries if e.action == A.MESSAGE]
    proposal_ids = [e.data.get("proposal") for e in entries if e.action.startswith(A.PROPOSAL)]
    messages = {m.pk: m for m in deal_messages(deal=deal).filter(pk__in=[i for i in message_ids if i])}
    proposals = {p.pk: p for p in deal_proposals(deal=deal).filter(pk__in=[i for i in proposal_ids if i])}
    viewer_roles = deal_roles(user, deal) if user is not None else frozenset()
    timeline = []
    for entry in entries:
        side = entry.data.get("side", "")
        timeline.append(
            TimelineEntry(
                at=entry.created_at,
                action=entry.action,
                label=str(TIMELINE_LABELS.get(entry.action, entry.action)),
                side=side,
                actor=entry.actor if _actor_shown(user, deal, side, viewer_roles) else None,
                data=dict(entry.data),
                message=messages.get(entry.data.get("message")),
                proposal=proposals.get(entry.data.get("proposal")),
            )
        )
    return timeline
