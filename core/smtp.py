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


# RFC 3463's statuses about the address itself: addressing (X.1.x: no such
# user, bad domain) and mailbox (X.2.x: disabled, full for good).
OF_THE_ADDRESS = re.compile(rb"\s*5\.[12]\.\d{1,3}\b")
# Without an enhanced code, RFC 5321's refusals of a recipient at RCPT:
# mailbox unavailable, user not local, mailbox name not allowed.
RCPT_OF_THE_ADDRESS = {550, 551, 553}


def address_refused_for_good(exc):
    """Whether the server refused the recipient's address itself for good: a
    5xx whose enhanced code is about the address or its mailbox, or without
    one a 550, 551 or 553 to RCPT. A refusal of the message (policy, content:
    5.7.x, 5.6.x) or of the relay ("554 5.7.1 Relaying denied" at RCPT) would
    be the same for every address, so it says nothing about this one."""
    if isinstance(exc, OF_THE_SENDER):
        return False
    at_rcpt = isinstance(exc, smtplib.SMTPRecipientsRefused)
    replies = smtp_replies(exc)
    return bool(replies) and all(
        _of_the_address(code, message, at_rcpt) for code, message in replies
    )


def _of_the_address(code, message, at_rcpt):
    if not isinstance(code, int) or code < 500:
        return False
    if isinstance(message, str):
        message = message.encode(errors="replace")
    if ENHANCED_CODE.match(message or b""):
        return bool(OF_THE_ADDRESS.match(message))
    return at_rcpt and code in RCPT_OF_THE_ADDRESS


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
