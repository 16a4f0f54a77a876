import logging


class RefusalsInOneLine(logging.Filter):
    """Django logs a 403 (PermissionDenied) with its whole traceback. A refusal or a missing
    page is a visitor's doing, not a bug: keep the one line that says which path, drop the
    traceback. 5xx records keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


# --- Structured logs: every line names the company schema and the request (or task) ---------
import contextvars  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import uuid  # noqa: E402

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# An id the proxy made (nginx $request_id) is kept; anything else is replaced by one of ours.
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_from(header: str | None) -> str:
    return header if header and _GOOD_ID.match(header) else uuid.uuid4().hex


class RequestContext(logging.Filter):
    """Adds `schema` (the connection's, as the tenant middleware or the task set it; no query)
    and `request_id` to every record the handler prints."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            from django.db import connection

            record.schema = getattr(connection, "schema_name", None) or "-"
        except Exception:  # before Django is set up (an import-time warning)
            record.schema = "-"
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line (LOG_FORMAT=json), for a log shipper."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname,
                 "logger": record.name, "schema": getattr(record, "schema", "-"),
                 "request_id": getattr(record, "request_id", "-"),
                 "message": record.getMessage()}
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
