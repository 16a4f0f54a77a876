import logging

from celery import shared_task

from accounts.sms import Sms, SmsError, SmsUnavailable, sms_deliver

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=30)
def sms_send_task(self, mobile: str, kind: str, params: dict, text: str) -> str:
    # Sent from the company's site, so tenant-schemas-celery runs it in that schema (the
    # file backend writes to that schema's file). A refused message is logged, not retried:
    # a code is worth minutes, and the person can ask for another.
    try:
        return sms_deliver(Sms(mobile=mobile, kind=kind, params=params, text=text))
    except SmsUnavailable as error:
        raise self.retry(exc=error) from error
    except SmsError as error:
        logger.warning("SMS to %s not sent: %s", mobile, error)
        return ""
