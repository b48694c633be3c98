"""One JSON object per log line, for the log collector.

Only the message and technical fields are written: code logs ids (a lead's id,
a plot's id), never an email address, a phone number or a message text, and the
request itself is reduced to its method and path (no query string, no body).
"""

import json
import logging
import re

TECHNICAL_FIELDS = ("status_code", "lead_id", "task_id")

# Addresses that are secrets themselves: a shortlist's link, an alert's
# confirmation and unsubscribe links, a password reset's. Logged whole, they
# would hand the link to whoever reads the logs.
SECRET_LINK = re.compile(
    r"(?P<kept>/(?:selection|alertes/confirmer|alertes/desabonner)/)[^/\s?\"]+"
)
RESET_LINK = re.compile(r"(?P<kept>/reset/)[^/\s?\"]+/[^/\s?\"]+")


def path_logged(text):
    """`text` with the secret part of any such address replaced by "…"."""
    text = SECRET_LINK.sub(r"\g<kept>…", text)
    return RESET_LINK.sub(r"\g<kept>…/…", text)


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": path_logged(record.getMessage()),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = path_logged(request.path)
        for field in TECHNICAL_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
