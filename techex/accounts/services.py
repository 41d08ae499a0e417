"""Writes of accounts: API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from rest_framework.authtoken.models import Token

from techex.core.services import audit_record

if TYPE_CHECKING:
    from techex.accounts.models import User


@transaction.atomic
def token_issue(*, user: User) -> Token:
    """Return the user's API token, creating it on first use (one token per account)."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(actor=user, action="account.token_issue", target=user)
    return token


@transaction.atomic
def token_revoke(*, user: User) -> None:
    """Delete the user's API token; a client signed in with it must obtain a new one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action="account.token_revoke", target=user)
