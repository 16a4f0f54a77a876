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
