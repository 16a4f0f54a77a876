"""What a browser test watches for: dialogs (a script from user data ran), CSP violations the
browser reported to /csp-report/ and CSP errors in the console."""

import logging
from dataclasses import dataclass, field


@dataclass
class Watch:
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)

    def attach(self, page) -> None:
        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.on("console", lambda m: self.console.append(m.text)
                if "Content Security Policy" in m.text else None)

    def problems(self) -> list:
        return self.dialogs + self.console + self.reports


class _Reports(logging.Handler):
    def __init__(self, watch: Watch):
        super().__init__(logging.WARNING)
        self.watch = watch

    def emit(self, record):
        self.watch.reports.append(getattr(record, "csp_report", {"message": record.getMessage()}))


def watching():
    """A Watch fed by the report endpoint's log (the live server runs in this process)."""
    watch = Watch()
    handler = _Reports(watch)
    logging.getLogger("saas.csp").addHandler(handler)
    return watch, lambda: logging.getLogger("saas.csp").removeHandler(handler)
