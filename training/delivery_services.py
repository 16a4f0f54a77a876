"""Delivering a published course to batches and companies, and withdrawing it. A trainer
delivers only to their own batches and those batches' companies; staff to any. Each company's
site reads its deliveries (training.selectors.deliveries_for_company) and enrols its members."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Refused
from training import selectors
from training.models import Audience, Course, Delivery
from training.positions import Position


class DeliveryRefused(Refused):
    """A delivery the catalogue will not make; fields name the inputs."""


@transaction.atomic
def course_deliver(*, course: Course, by, batches=(), companies=(), audience: str = Audience.ALL,
                   positions=(), opens_on: datetime.date, due_on: datetime.date | None = None,
                   required: bool = True) -> Delivery:
    course = Course.objects.select_for_update().get(pk=course.pk)
    batches, companies = list(batches), list(companies)
    _targets_check(by=by, batches=batches, companies=companies)
    if course.retired_at is not None:
        raise DeliveryRefused(_("课程已停用，不能下发。"), code="delivery_course_retired")
    if selectors.version_published_latest(course=course) is None:
        raise DeliveryRefused(_("课程还没有发布的版本，请先发布。"), code="delivery_unpublished")
    positions = sorted(set(positions))
    if audience not in Audience.values:
        raise DeliveryRefused(code="delivery_audience",
                              fields={"audience": [_("请选择下发对象。")]})
    if audience == Audience.POSITIONS:
        if not positions or not set(positions) <= set(Position.values):
            raise DeliveryRefused(code="delivery_positions",
                                  fields={"positions": [_("请至少选择一个职务。")]})
    else:
        positions = []
    if due_on is not None and due_on < opens_on:
        raise DeliveryRefused(code="delivery_due_before_open",
                              fields={"due_on": [_("截止日期不能早于开放日期。")]})
    if due_on is not None and due_on < timezone.localdate():
        raise DeliveryRefused(code="delivery_due_past",
                              fields={"due_on": [_("截止日期已过。")]})
    delivery = Delivery.objects.create(course=course, audience=audience, positions=positions,
                                       opens_on=opens_on, due_on=due_on, required=required,
                                       created_by=by)
    delivery.batches.set(batches)
    delivery.companies.set(companies)
    return delivery


def _targets_check(*, by, batches, companies) -> None:
    if not batches and not companies:
        raise DeliveryRefused(code="delivery_no_target",
                              fields={"batches": [_("请至少选择一个批次或一家公司。")]})
    if selectors.sees_everything(user=by):
        return
    mine = set(selectors.batches_visible(user=by).values_list("pk", flat=True))
    theirs = set(selectors.companies_visible(user=by).values_list("pk", flat=True))
    if any(b.pk not in mine for b in batches) or any(c.pk not in theirs for c in companies):
        raise Forbidden(_("只能下发到你负责的批次及其公司。"), code="delivery_outside_batches")


@transaction.atomic
def delivery_withdraw(*, delivery: Delivery, by) -> Delivery:
    """The course stops being delivered (the row stays: enrolments point at it)."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if not selectors.sees_everything(user=by) and delivery.created_by_id != by.pk:
        raise Forbidden(_("只能撤回自己下发的课程。"), code="delivery_not_yours")
    if delivery.withdrawn_at is None:
        delivery.withdrawn_at = timezone.now()
        delivery.save(update_fields=["withdrawn_at"])
    return delivery
