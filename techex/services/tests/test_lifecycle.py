"""The request lifecycle as a table: every allowed transition, and refused ones with their messages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from techex.core.models import AuditEntry
from techex.notifications.models import Notification
from techex.services import services
from techex.services.choices import RequestAction as A
from techex.services.choices import RequestState as S
from techex.services.models import ServiceRequest
from techex.services.states import ROLES, TRANSITIONS, RequestError, allowed_actions, target_state

from .factories import make_provider, make_request, pdf_file, request_parties

pytestmark = pytest.mark.django_db

REASON = {"reason": "Lý do cụ thể."}
# action: (service, party, arguments)
CALLS = {
    A.ASSIGN: ("request_assign", "staff", {}),
    A.QUOTE: ("request_quote", "provider", {"amount_vnd": 12_000_000, "duration_days": 15}),
    A.ACCEPT: ("request_accept", "client", {}),
    A.REJECT_QUOTE: ("request_decline_quote", "client", REASON),
    A.START: ("request_start", "provider", {}),
    A.DELIVER: ("request_deliver", "provider", {}),
    A.CLOSE: ("request_close", "client", {"rating": 4}),
    A.CANCEL: ("request_cancel", "client", REASON),
    A.DECLINE: ("request_decline", "provider", REASON),
}
REACHABLE = [
    S.SUBMITTED,
    S.ASSIGNED,
    S.QUOTED,
    S.ACCEPTED,
    S.IN_PROGRESS,
    S.DELIVERED,
    S.CLOSED,
    S.DECLINED,
    S.CANCELLED,
]


def _call(parties, request, action):
    name, party, kwargs = CALLS[action]
    kwargs = dict(kwargs)
    user = {"staff": parties.staff, "provider": parties.provider_user, "client": parties.client}[party]
    if action == A.ASSIGN:
        # Staff route to another verified provider (reassigning when one is already assigned).
        other, _admin = make_provider(category=parties.category, staff=parties.staff)
        kwargs["provider"] = other if request.provider_id else parties.provider
        if request.provider_id is None:
            kwargs["provider"] = parties.provider
    return getattr(services, name)(user=user, request=request, **kwargs)


# Sorted: frozensets iterate in a per-process order, and every xdist worker must collect the same tests.
# The brokerage rows follow a broker's assignment, not a party's call: test_brokerage.py walks them.
ALLOWED = [
    (state, action) for action, (sources, _t) in TRANSITIONS.items() if action in CALLS for state in sorted(sources)
]


@pytest.mark.parametrize(("state", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_every_allowed_transition(reference_data, state, action):
    parties = request_parties()
    request = make_request(parties, state=state)
    before = AuditEntry.objects.count()
    _call(parties, request, action)
    request.refresh_from_db()
    assert request.state == TRANSITIONS[action][1]
    assert AuditEntry.objects.count() > before
    assert AuditEntry.objects.filter(action=f"services.request.{action.value}", target_id=str(request.pk)).exists()


REFUSED = [(state, action) for state in REACHABLE for action in TRANSITIONS if state not in TRANSITIONS[action][0]]


@pytest.mark.parametrize(("state", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_refused_transitions_name_both_states_and_change_nothing(state, action):
    with pytest.raises(RequestError) as excinfo:
        target_state(state, action)
    message = excinfo.value.messages[0]
    assert f"“{S(state).label}”" in message and f"“{S(TRANSITIONS[action][1]).label}”" in message


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.SUBMITTED, A.QUOTE),
        (S.ASSIGNED, A.ACCEPT),
        (S.QUOTED, A.DELIVER),
        (S.DELIVERED, A.CANCEL),
        (S.CLOSED, A.CLOSE),
    ],
)
def test_a_sample_of_refused_transitions_through_the_services(reference_data, state, action):
    parties = request_parties()
    request = make_request(parties, state=state)
    if state == S.SUBMITTED and action == A.QUOTE:
        # No provider yet: the provider is not a party of the request at all.
        with pytest.raises(Http404):
            _call(parties, request, action)
        return
    with pytest.raises(ValidationError) as excinfo:
        _call(parties, request, action)
    assert "A service request cannot go from" in excinfo.value.messages[0]
    assert str(S(state).label) in excinfo.value.messages[0]
    assert ServiceRequest.objects.get(pk=request.pk).state == state


def test_the_wrong_party_is_refused_by_role(reference_data):
    parties = request_parties()
    request = make_request(parties, state=S.QUOTED)
    with pytest.raises(PermissionDenied, match="Accept the quote"):
        services.request_accept(user=parties.provider_user, request=request)
    with pytest.raises(PermissionDenied):
        services.request_quote(user=parties.client, request=request, amount_vnd=1, duration_days=1)
    assert ServiceRequest.objects.get(pk=request.pk).state == S.QUOTED


def test_roles_and_allowed_actions_agree():
    assert set(ROLES) >= set(TRANSITIONS)
    assert allowed_actions(S.QUOTED, {"client"}) == [A.ACCEPT, A.REJECT_QUOTE, A.CANCEL, A.MESSAGE]
    assert allowed_actions(S.CLOSED, {"client", "provider", "staff"}) == []


def test_choosing_a_verified_provider_assigns_at_once_and_tells_it(reference_data, django_capture_on_commit_callbacks):
    parties = request_parties()
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(parties, provider=parties.provider)
    assert request.state == S.ASSIGNED and request.chosen_by_client
    assert Notification.objects.filter(recipient=parties.provider_user, kind="services.assigned").exists()
    entry = AuditEntry.objects.get(action="services.request.provider", target_id=str(request.pk))
    assert entry.data["automatic"] is True


def test_an_unverified_provider_cannot_be_chosen(reference_data):
    parties = request_parties()
    pending, _admin = make_provider(category=parties.category, verified=False)
    with pytest.raises(ValidationError, match="not verified"):
        make_request(parties, provider=pending)
    assert not ServiceRequest.objects.exists()


def test_closing_keeps_the_rating_and_consent_and_bad_ratings_are_refused(reference_data):
    parties = request_parties()
    request = make_request(parties, state=S.DELIVERED)
    for bad in (0, 6, "5", True):
        with pytest.raises(ValidationError, match="Rate from 1 to 5"):
            services.request_close(user=parties.client, request=request, rating=bad)
    services.request_close(
        user=parties.client, request=request, rating=4, comment="Đúng hẹn.", testimonial_consent=True
    )
    request.refresh_from_db()
    assert (request.state, request.rating, request.testimonial_consent) == (S.CLOSED, 4, True)


def test_reasons_are_required(reference_data):
    parties = request_parties()
    request = make_request(parties, state=S.ASSIGNED)
    with pytest.raises(ValidationError, match="Say why you cancel"):
        services.request_cancel(user=parties.client, request=request, reason="  ")
    with pytest.raises(ValidationError, match="Say why you decline the request"):
        services.request_decline(user=parties.provider_user, request=request, reason="")


def test_messages_carry_checked_files_and_are_refused_when_closed(reference_data, django_capture_on_commit_callbacks):
    parties = request_parties()
    request = make_request(parties, state=S.ASSIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.request_message(
            user=parties.client, request=request, body="Gửi hồ sơ công nghệ.", file=pdf_file("ho-so.pdf")
        )
    assert message.file_extension == "pdf" and message.party == "client"
    assert Notification.objects.filter(recipient=parties.provider_user, kind="services.message").exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="not accepted"):
        services.request_message(
            user=parties.client, request=request, body="x", file=SimpleUploadedFile("a.pdf", b"MZ\x90 not a pdf")
        )
    services.request_cancel(user=parties.client, request=request, reason="Thôi.")
    with pytest.raises(ValidationError, match="closed"):
        services.request_message(user=parties.client, request=request, body="Còn đó không?")
