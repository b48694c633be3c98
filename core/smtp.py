"""What a mail server's refusal says: its SMTP codes, read the same way by
every app that sends (leads, alerts)."""

import re
import smtplib

# RFC 3463's enhanced status code at the start of a reply ("5.1.1 No such user").
ENHANCED_CODE = re.compile(rb"\s*([245]\.\d{1,3}\.\d{1,3})\b")

# Refusals of the portal itself (its sender address, its greeting, its login),
# whichever address it was writing to.
OF_THE_SENDER = (
    smtplib.SMTPSenderRefused,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
)


def smtp_replies(exc):
    """The (code, message) replies of an SMTP refusal; none for other errors."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return list(exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return [(code, getattr(exc, "smtp_error", b""))] if isinstance(code, int) else []


def smtp_codes(exc):
    return [code for code, _message in smtp_replies(exc)]


def recipient_refused_for_good(exc):
    """Whether the server refused this message's recipient or content for
    good (a 5xx answer to RCPT or DATA), which sending it again cannot
    change; 4xx answers, lost connections and timeouts pass."""
    if isinstance(exc, OF_THE_SENDER):
        return False
    codes = smtp_codes(exc)
    return bool(codes) and min(codes) >= 500


def refusal_described(exc):
    """Its class, SMTP code and enhanced code, never the server's words
    (they may quote the address)."""
    replies = smtp_replies(exc)
    if not replies:
        return type(exc).__name__
    code, message = min(replies, key=lambda reply: reply[0])
    if isinstance(message, str):
        message = message.encode(errors="replace")
    enhanced = ENHANCED_CODE.match(message or b"")
    words = [type(exc).__name__, str(code)]
    if enhanced:
        words.append(enhanced.group(1).decode())
    return " ".join(words)
