"""One JSON object per log line, for the log collector.

Only the message and technical fields are written: code logs ids (a lead's id,
a plot's id), never an email address, a phone number or a message text, and the
request itself is reduced to its method and path (no query string, no body).
"""

import json
import logging

TECHNICAL_FIELDS = ("status_code", "lead_id", "task_id")


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        for field in TECHNICAL_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
