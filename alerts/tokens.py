"""The signed keys of the emails' links: a confirmation link expires, an
unsubscribe link never does (every digest's link must work, however old)."""

from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


def confirm_token(subscription):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.key))


def unsubscribe_token(subscription):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription.key))


def confirmed_key(token, *, max_age):
    """The key of a confirmation link, or None when altered or expired."""
    try:
        return signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:
        return None


def unsubscribe_key(token):
    """The key of an unsubscribe link, or None when altered."""
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
