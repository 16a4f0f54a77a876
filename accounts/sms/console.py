"""The default backend: prints each message to the log (`make run` shows it) and appends it to
SMS_FILE_PATH/<schema>.log, one file per company so tenants never mix."""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.sms import Sms

logger = logging.getLogger("accounts.sms")


class SmsBackend:
    def send(self, message: Sms) -> str:
        message_id = uuid.uuid4().hex
        logger.info("SMS to %s (%s): %s", message.mobile, connection.schema_name, message.text)
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().isoformat(timespec="seconds")
        line = f"{stamp}\t{message.mobile}\t{message.kind}\t{message.text}\n"
        with open(folder / f"{connection.schema_name}.log", "a", encoding="utf-8") as file:
            file.write(line)  # one write per message: lines of concurrent senders never interleave
        return message_id
