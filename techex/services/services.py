"""Writes of services: providers apply and are verified; requests move along ``states.TRANSITIONS``.

Every public function is keyword-only, atomic and audited; each transition of a request is one function, which
checks the party (``states.ROLES``) and the state (``states.TRANSITIONS``) before it changes anything.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core import events
from techex.core.operator import operator
from techex.core.permissions import require_staff
from techex.core.services import audit_record
from techex.core.text import clean_text, limited_text
from techex.core.uploads import validate_document
from techex.deals.models import Deal
from techex.departments.scope import require_can_act
from techex.departments.services import route
from techex.listings.models import Listing, ReferenceSequence
from techex.organizations.models import Organization
from techex.organizations.selectors import user_is_member, user_is_org_admin
from techex.reference.models import Province

from .choices import REQUEST_CODE, Party, ProviderStatus, RequestAction
from .events import ServiceProviderVerified, ServiceRequestStepTaken
from .models import (
    NOTE_MAX,
    RATING_MAX,
    RATING_MIN,
    REASON_MAX,
    TEXT_MAX,
    Expert,
    ProviderCredential,
    Quote,
    RequestMessage,
    ServiceCategory,
    ServiceProvider,
    ServiceRequest,
)
from .permissions import parties_of
from .states import REACHED_FIELD, ROLES, target_state
from .tasks import guest_verification_email, provider_decision_notify

if TYPE_CHECKING:
    from techex.accounts.models import User

MAX_CREDENTIALS = 5
# A quote above this is surely a typing slip (a trillion đồng).
QUOTE_MAX_VND = 10**12


# --- shared ------------------------------------------------------------------------------------------------------


def _checked_files(files: Sequence, *, field: str) -> list[tuple[Any, Any]]:
    """Check each file by its content (core.uploads); refuse all of them, naming the file, if one fails."""
    checked = []
    for file in files:
        try:
            checked.append((file, validate_document(file)))
        except ValidationError as error:
            name = clean_text(getattr(file, "name", "") or "")[:80]
            raise ValidationError({field: [f"{name}: {text}" if name else text for text in error.messages]}) from error
    return checked


def _digest(file: Any) -> str:
    file.seek(0)
    digest = hashlib.sha256(file.read()).hexdigest()
    file.seek(0)
    return digest


def _original_name(file: Any) -> str:
    return clean_text(getattr(file, "name", "") or "file")[:255] or "file"


def _store_checked(stored: Any, file: Any, sniffed: Any) -> str:
    """Fill a ``StoredFile`` row from a checked upload, write the file and the row; return the file's SHA-256."""
    stored.token = secrets.token_hex(16)
    stored.extension = sniffed.extension
    stored.original_name = _original_name(file)
    stored.content_type = sniffed.content_type
    stored.size = file.size
    digest = _digest(file)
    stored.file.save(f"upload.{sniffed.extension}", file, save=False)
    stored.save()
    return digest


def _reason(value: Any, message: str) -> str:
    return limited_text(value, field="reason", max_length=REASON_MAX, required_message=message)


def _next_reference_code(year: int) -> str:
    prefix = f"{operator()['code']}-{REQUEST_CODE}-{year}"
    ReferenceSequence.objects.get_or_create(prefix=prefix)
    ReferenceSequence.objects.filter(prefix=prefix).update(last=F("last") + 1)
    number = ReferenceSequence.objects.values_list("last", flat=True).get(prefix=prefix)
    return f"{prefix}-{number:05d}"


def _locked(request: ServiceRequest) -> ServiceRequest:
    """Lock the request's row for the transaction and return it fresh (two people acting are served in turn)."""
    ServiceRequest.objects.select_for_update().filter(pk=request.pk).values_list("pk", flat=True).get()
    return ServiceRequest.objects.select_related("category", "provider__organization", "client_organization").get(
        pk=request.pk
    )


def _require_party(user: Any, request: ServiceRequest, action: RequestAction) -> str:
    """The party the user acts as; 404 if they may not read the request, refused if their part does not allow it."""
    parties = parties_of(user, request)
    if not parties:
        raise Http404
    allowed = ROLES[action] & parties
    if not allowed:
        raise PermissionDenied(
            _("As %(party)s of this request you cannot do this: “%(action)s”.")
            % {"party": Party(sorted(parties)[0]).label.lower(), "action": RequestAction(action).label}
        )
    # A user who is both (a provider asking its own service of itself) acts as the party the action needs.
    for party in (Party.STAFF, Party.PROVIDER, Party.CLIENT):
        if party in allowed:
            return party
    raise AssertionError("unreachable")


def _audit(request: ServiceRequest, *, user: Any, action: str, **data: Any) -> None:
    audit_record(actor=user, action=f"services.request.{action}", target=request, data=data)


def _tell(request: ServiceRequest, *, kind: str, user: Any, parties: Iterable[str]) -> None:
    actor_id = user.pk if getattr(user, "is_authenticated", False) else None
    events.publish(ServiceRequestStepTaken(request_id=request.pk, kind=kind, actor_id=actor_id, parties=tuple(parties)))


def _move(request: ServiceRequest, *, action: RequestAction, user: Any, **changes: Any) -> ServiceRequest:
    """Apply one row of the transition table: the new state, the moment it was first reached, the changes."""
    previous = request.state
    request.state = target_state(previous, action)
    field = REACHED_FIELD.get(request.state)
    if field and getattr(request, field) is None:
        setattr(request, field, timezone.now())
    for name, value in changes.items():
        setattr(request, name, value)
    request.save()
    _audit(request, user=user, action=action.value, **{"from": previous, "to": request.state})
    return request


def _require_provider_offers(provider: ServiceProvider, category: ServiceCategory, *, field: str) -> None:
    if not provider.is_verified:
        raise ValidationError({field: [_("This provider is not verified by the exchange.")]})
    if not provider.categories.filter(pk=category.pk).exists():
        raise ValidationError({field: [_("This provider does not offer “%(service)s”.") % {"service": category.name}]})


# --- providers ---------------------------------------------------------------------------------------------------


@transaction.atomic
def provider_apply(
    *,
    user: User,
    organization: Organization,
    categories: Iterable[ServiceCategory],
    description: str,
    files: Sequence = (),
) -> ServiceProvider:
    """An organisation's administrator applies to provide services, with its credentials; staff then verify."""
    if not user_is_org_admin(user=user, organization=organization):
        raise PermissionDenied(_("Only an administrator of the organisation may apply for it."))
    chosen = [category for category in categories if category.is_active]
    if not chosen:
        raise ValidationError({"categories": [_("Choose at least one service.")]})
    text = limited_text(
        description,
        field="description",
        max_length=TEXT_MAX,
        required_message=_("Say what your organisation offers and its experience."),
    )
    files = list(files or ())
    if len(files) > MAX_CREDENTIALS:
        raise ValidationError(
            {"files": [_("Attach at most %(count)s files to an application.") % {"count": MAX_CREDENTIALS}]}
        )
    checked = _checked_files(files, field="files")
    provider = ServiceProvider.objects.select_for_update().filter(organization=organization).first()
    if provider is not None and provider.status == ProviderStatus.VERIFIED:
        raise ValidationError(_("This organisation is already a verified provider."), code="verified")
    if provider is None:
        provider = ServiceProvider(organization=organization)
        route(obj=provider)
    if not checked and not (provider.pk and provider.credentials.exists()):
        raise ValidationError({"files": [_("Attach at least one licence or certificate.")]})
    provider.description = text
    provider.status = ProviderStatus.APPLIED
    provider.decision_note = ""
    provider.decided_at = None
    provider.decided_by = None
    provider.save()
    provider.categories.set(chosen)
    digests = []
    for file, sniffed in checked:
        credential = ProviderCredential(provider=provider)
        digests.append({"token": credential.token, "sha256": _store_checked(credential, file, sniffed)})
    audit_record(
        actor=user,
        action="services.provider.apply",
        target=provider,
        data={"categories": sorted(c.code for c in chosen), "files": digests},
    )
    return provider


def _decide(*, user: Any, provider: ServiceProvider, status: str, note: str) -> ServiceProvider:
    require_staff(user)
    provider = ServiceProvider.objects.select_for_update().select_related("organization").get(pk=provider.pk)
    require_can_act(user, provider)
    if provider.status != ProviderStatus.APPLIED:
        raise ValidationError(
            _("This application is already decided (“%(status)s”).")
            % {"status": ProviderStatus(provider.status).label},
            code="decided",
        )
    provider.status = status
    provider.decision_note = note
    provider.decided_at = timezone.now()
    provider.decided_by = user
    provider.save()
    audit_record(actor=user, action=f"services.provider.{status}", target=provider, data={"note": note})
    kind = "services.provider_verified" if status == ProviderStatus.VERIFIED else "services.provider_refused"
    transaction.on_commit(lambda: provider_decision_notify.enqueue(provider.pk, kind, user.pk))
    return provider


@transaction.atomic
def provider_verify(*, user: User, provider: ServiceProvider, note: str = "") -> ServiceProvider:
    """Staff of the provider's department verify its application: it appears in the catalogue."""
    text = limited_text(note, field="note", max_length=500)
    provider = _decide(user=user, provider=provider, status=ProviderStatus.VERIFIED, note=text)
    events.publish(ServiceProviderVerified(provider_id=provider.pk))
    return provider


@transaction.atomic
def provider_refuse(*, user: User, provider: ServiceProvider, note: str) -> ServiceProvider:
    """Staff refuse an application, saying why (the organisation may apply again)."""
    text = limited_text(note, field="note", max_length=500, required_message=_("Say why the application is refused."))
    return _decide(user=user, provider=provider, status=ProviderStatus.REFUSED, note=text)


# --- requests ----------------------------------------------------------------------------------------------------


def _assign(request: ServiceRequest, *, provider: ServiceProvider, user: Any, automatic: bool) -> ServiceRequest:
    previous = request.provider_id
    _move(request, action=RequestAction.ASSIGN, user=user, provider=provider)
    audit_record(
        actor=user,
        action="services.request.provider",
        target=request,
        data={"from": previous, "to": provider.pk, "automatic": automatic},
    )
    _tell(request, kind="services.assigned", user=user, parties=[Party.PROVIDER])
    if not automatic:
        _tell(request, kind="services.provider_assigned", user=user, parties=[Party.CLIENT])
    return request


def _expert_provider(expert: Expert | None, category: ServiceCategory) -> ServiceProvider | None:
    """ "Contact this expert": the expert must be listed, accept requests and provide the service; the request then
    goes to their organisation when it is a verified provider of the service, else to staff's queue as any other."""
    if expert is None:
        return None
    if not (expert.is_listed and expert.accepts_requests):
        raise ValidationError({"expert": [_("This expert does not accept requests.")]})
    if not expert.categories.filter(pk=category.pk).exists():
        raise ValidationError({"expert": [_("This expert does not provide this service.")]})
    if expert.organization_id is None:
        return None
    return (
        ServiceProvider.objects.verified()
        .filter(organization_id=expert.organization_id, categories=category)
        .select_related("organization")
        .first()
    )


@transaction.atomic
def request_submit(
    *,
    user: User,
    organization: Organization,
    category: ServiceCategory,
    description: str,
    provider: ServiceProvider | None = None,
    listing: Listing | None = None,
    deal: Deal | None = None,
    expert: Expert | None = None,
) -> ServiceRequest:
    """A member asks for a service for their organisation; a chosen verified provider gets it at once, otherwise it
    waits in the queue of the organisation's department for staff to route it."""
    if not user_is_member(user=user, organization=organization):
        raise PermissionDenied(_("You can ask for a service only for an organisation you belong to."))
    if not category.is_active:
        raise ValidationError({"category": [_("This service is not offered.")]})
    text = limited_text(
        description, field="description", max_length=TEXT_MAX, required_message=_("Describe what you need.")
    )
    provider = provider or _expert_provider(expert, category)
    if provider is not None:
        _require_provider_offers(provider, category, field="provider")
        if provider.organization_id == organization.pk:
            raise ValidationError({"provider": [_("An organisation cannot ask a service of itself.")]})
    if listing is not None and not Listing.objects.visible_to(user).filter(pk=listing.pk).exists():
        raise ValidationError({"listing": [_("There is no such listing.")]})
    if deal is not None and not Deal.objects.taking_part(user).filter(pk=deal.pk).exists():
        raise ValidationError({"deal": [_("There is no such deal.")]})
    request = ServiceRequest(
        reference_code=_next_reference_code(timezone.now().year),
        category=category,
        client_organization=organization,
        client_user=user,
        description=text,
        listing=listing,
        deal=deal,
        expert=expert,
        chosen_by_client=provider is not None,
    )
    route(obj=request)
    request.save()
    _audit(
        request,
        user=user,
        action="submit",
        category=category.code,
        provider=provider.pk if provider else None,
        expert=expert.pk if expert else None,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    if provider is not None:
        _assign(request, provider=provider, user=user, automatic=True)
    return request


@transaction.atomic
def request_assign(*, user: User, request: ServiceRequest, provider: ServiceProvider) -> ServiceRequest:
    """Staff of the request's department route it to a verified provider of its service (or to another one)."""
    require_staff(user)
    request = _locked(request)
    _require_party(user, request, RequestAction.ASSIGN)
    target_state(request.state, RequestAction.ASSIGN)
    _require_provider_offers(provider, request.category, field="provider")
    if provider.pk == request.provider_id:
        raise ValidationError({"provider": [_("The request is already assigned to this provider.")]})
    if provider.organization_id == request.client_organization_id:
        raise ValidationError({"provider": [_("An organisation cannot ask a service of itself.")]})
    return _assign(request, provider=provider, user=user, automatic=False)


@transaction.atomic
def request_quote(*, user: User, request: ServiceRequest, amount_vnd: int, duration_days: int, note: str = "") -> Quote:
    """The provider sends its price (VND) and time; a new quote replaces the one not yet answered."""
    request = _locked(request)
    _require_party(user, request, RequestAction.QUOTE)
    target_state(request.state, RequestAction.QUOTE)
    errors: dict[str, list[str]] = {}
    if not isinstance(amount_vnd, int) or isinstance(amount_vnd, bool) or not 0 < amount_vnd <= QUOTE_MAX_VND:
        errors["amount_vnd"] = [_("Give an amount in đồng above zero.")]
    if not isinstance(duration_days, int) or isinstance(duration_days, bool) or not 0 < duration_days <= 3650:
        errors["duration_days"] = [_("Give a duration between 1 and 3650 days.")]
    if errors:
        raise ValidationError(errors)
    text = limited_text(note, field="note", max_length=NOTE_MAX)
    quote = Quote.objects.create(
        request=request, amount_vnd=amount_vnd, duration_days=duration_days, note=text, created_by=user
    )
    _move(request, action=RequestAction.QUOTE, user=user)
    _audit(request, user=user, action="quote.sent", quote=quote.pk, amount_vnd=amount_vnd, days=duration_days)
    _tell(request, kind="services.quoted", user=user, parties=[Party.CLIENT])
    return quote


@transaction.atomic
def request_accept(*, user: User, request: ServiceRequest) -> ServiceRequest:
    """The client accepts the current quote."""
    request = _locked(request)
    _require_party(user, request, RequestAction.ACCEPT)
    quote = request.quotes.last()
    _move(request, action=RequestAction.ACCEPT, user=user)
    _audit(request, user=user, action="quote.accepted", quote=quote.pk if quote else None)
    _tell(request, kind="services.accepted", user=user, parties=[Party.PROVIDER])
    return request


@transaction.atomic
def request_decline_quote(*, user: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """The client declines the quote, saying why; the request ends."""
    request = _locked(request)
    _require_party(user, request, RequestAction.REJECT_QUOTE)
    text = _reason(reason, _("Say why you decline the quote."))
    _move(request, action=RequestAction.REJECT_QUOTE, user=user, close_reason=text)
    _tell(request, kind="services.quote_declined", user=user, parties=[Party.PROVIDER])
    return request


@transaction.atomic
def request_start(*, user: User, request: ServiceRequest) -> ServiceRequest:
    """The provider starts the work the client accepted."""
    request = _locked(request)
    _require_party(user, request, RequestAction.START)
    _move(request, action=RequestAction.START, user=user)
    _tell(request, kind="services.started", user=user, parties=[Party.CLIENT])
    return request


@transaction.atomic
def request_deliver(*, user: User, request: ServiceRequest) -> ServiceRequest:
    """The provider says the work is delivered; the client then closes and rates it."""
    request = _locked(request)
    _require_party(user, request, RequestAction.DELIVER)
    _move(request, action=RequestAction.DELIVER, user=user)
    _tell(request, kind="services.delivered", user=user, parties=[Party.CLIENT])
    return request


@transaction.atomic
def request_close(
    *, user: User, request: ServiceRequest, rating: int, comment: str = "", testimonial_consent: bool = False
) -> ServiceRequest:
    """The client closes a delivered request with a rating of 1 to 5 and may let the comment be shown."""
    request = _locked(request)
    _require_party(user, request, RequestAction.CLOSE)
    target_state(request.state, RequestAction.CLOSE)
    if not isinstance(rating, int) or isinstance(rating, bool) or not RATING_MIN <= rating <= RATING_MAX:
        raise ValidationError(
            {"rating": [_("Rate from %(min)s to %(max)s stars.") % {"min": RATING_MIN, "max": RATING_MAX}]}
        )
    text = limited_text(comment, field="comment", max_length=NOTE_MAX)
    _move(
        request,
        action=RequestAction.CLOSE,
        user=user,
        rating=rating,
        rating_comment=text,
        testimonial_consent=bool(testimonial_consent and text),
    )
    _audit(request, user=user, action="rated", rating=rating, consent=request.testimonial_consent)
    _tell(request, kind="services.closed", user=user, parties=[Party.PROVIDER])
    return request


@transaction.atomic
def request_cancel(*, user: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """The client cancels the request before the work starts, saying why."""
    request = _locked(request)
    _require_party(user, request, RequestAction.CANCEL)
    text = _reason(reason, _("Say why you cancel the request."))
    _move(request, action=RequestAction.CANCEL, user=user, close_reason=text)
    if request.provider_id:
        _tell(request, kind="services.cancelled", user=user, parties=[Party.PROVIDER])
    return request


@transaction.atomic
def request_decline(*, user: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """The provider declines the request before its quote is accepted, saying why."""
    request = _locked(request)
    _require_party(user, request, RequestAction.DECLINE)
    text = _reason(reason, _("Say why you decline the request."))
    _move(request, action=RequestAction.DECLINE, user=user, close_reason=text)
    _tell(request, kind="services.declined", user=user, parties=[Party.CLIENT])
    return request


@transaction.atomic
def request_message(*, user: User, request: ServiceRequest, body: str, file: Any = None) -> RequestMessage:
    """A message between the parties (and staff) of an open request, with an optional document."""
    request = _locked(request)
    party = _require_party(user, request, RequestAction.MESSAGE)
    target_state(request.state, RequestAction.MESSAGE)
    text = limited_text(body, field="body", max_length=TEXT_MAX, required_message=_("Write a message."))
    author = user if getattr(user, "is_authenticated", False) else None
    message = RequestMessage(request=request, author=author, party=party, body=text)
    digest = ""
    if file:
        ((file, sniffed),) = _checked_files([file], field="file")
        message.file_token = secrets.token_hex(16)
        message.file_extension = sniffed.extension
        message.file_type = sniffed.content_type
        message.file_name = _original_name(file)
        message.file_size = file.size
        digest = _digest(file)
        message.file.save(f"upload.{sniffed.extension}", file, save=False)
    message.save()
    _audit(
        request,
        user=user,
        action="message",
        party=party,
        message=message.pk,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        file_sha256=digest,
    )
    told = [p for p in (Party.CLIENT, Party.PROVIDER) if p != party]
    _tell(request, kind="services.message", user=user, parties=told)
    return message


# --- guests ------------------------------------------------------------------------------------------------------

GUEST_SALT = "techex.services.guest"
GUEST_NAME_MAX = 120


class GuestClient:
    """A guest following their request through the link sent to their verified e-mail address (no account).

    The services take it as ``user``: ``permissions.parties_of`` makes it the client of that one request once the
    address is verified; it is never authenticated, so it is audited and notified as nobody.
    """

    is_authenticated = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, request_id: int) -> None:
        self.guest_request_id = request_id


def guest_token(*, request: ServiceRequest) -> str:
    """The guest's link to their request (signed: it cannot be guessed or changed to another request)."""
    # Not timestamped: the link stays the same in every e-mail about the request.
    return signing.Signer(salt=GUEST_SALT).sign_object({"r": request.pk, "e": request.guest_email}, compress=True)


def guest_request_from_token(*, token: str) -> ServiceRequest:
    """The request a guest's link opens; a link that was not signed by the exchange is a 404."""
    try:
        data = signing.Signer(salt=GUEST_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as exc:
        raise Http404 from exc
    if not isinstance(data, dict) or not isinstance(data.get("r"), int) or not data.get("e"):
        raise Http404
    request = (
        ServiceRequest.objects.filter(pk=data["r"], guest_email=data["e"], client_organization__isnull=True)
        .select_related("category", "provider__organization", "department")
        .first()
    )
    if request is None:
        raise Http404
    return request


@transaction.atomic
def request_submit_guest(
    *,
    name: str,
    email: str,
    province: Province,
    category: ServiceCategory,
    description: str,
    expert: Expert | None = None,
) -> ServiceRequest:
    """A visitor without an account asks for a service. The request goes nowhere until the visitor opens the link
    sent to the address (``request_verify_guest``); then it waits in the queue of the province's department."""
    if not category.is_active:
        raise ValidationError({"category": [_("This service is not offered.")]})
    guest_name = limited_text(name, field="name", max_length=GUEST_NAME_MAX, required_message=_("Give your name."))
    address = clean_text(email or "") if isinstance(email, str) else ""
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValidationError({"email": [_("Give a valid e-mail address.")]}) from exc
    text = limited_text(
        description, field="description", max_length=TEXT_MAX, required_message=_("Describe what you need.")
    )
    request = ServiceRequest(
        reference_code=_next_reference_code(timezone.now().year),
        category=category,
        guest_name=guest_name,
        guest_email=address.lower(),
        guest_province=province,
        description=text,
        expert=expert,
    )
    # A guest's request goes nowhere before the address is verified: the expert's provider is only noted (staff
    # route it from the queue once the guest confirms).
    _expert_provider(expert, category)
    route(obj=request)
    request.save()
    _audit(
        request, user=None, action="submit", category=category.code, guest=True, expert=expert.pk if expert else None
    )
    link = guest_token(request=request)
    transaction.on_commit(lambda: guest_verification_email.enqueue(request.pk, link))
    return request


@transaction.atomic
def request_verify_guest(*, token: str) -> ServiceRequest:
    """The guest opened the link: the address is verified (once) and the request enters its department's queue."""
    request = guest_request_from_token(token=token)
    if request.guest_email_verified_at is None:
        ServiceRequest.objects.filter(pk=request.pk).update(guest_email_verified_at=timezone.now())
        request.refresh_from_db(fields=["guest_email_verified_at"])
        _audit(request, user=None, action="guest_verified")
    return request
