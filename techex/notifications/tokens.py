"""Signed one-click unsubscribe tokens: they name a user and cannot be forged or altered without the secret key."""

from django.core import signing

# Specific to this use, so no other signed value of the site can pass for an unsubscribe token.
SALT = "techex.notifications.unsubscribe"
MAX_LENGTH = 200


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=SALT)


def user_id_from_token(token: str) -> int | None:
    """The user id the token was made for, or None when it is not one of ours (tampered, truncated, foreign)."""
    if not token or len(token) > MAX_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None
