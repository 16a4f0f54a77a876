"""For tests: keeps messages in `outbox`, like Django's locmem e-mail backend."""

from django.db import connection

from accounts.sms import Sms

outbox: list[tuple[str, Sms]] = []  # (schema, message)


class SmsBackend:
    def send(self, message: Sms) -> str:
        outbox.append((connection.schema_name, message))
        return str(len(outbox))
