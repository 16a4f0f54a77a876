import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from core.errors import Forbidden
from tests.training.conftest import PASSWORD, signed_in
from training import selectors
from training.delivery_services import DeliveryRefused, course_deliver, delivery_withdraw
from training.models import Audience, CompanyCourseRollup, CompanyHoursRollup, Delivery
from training.positions import Position
from training.trainer_services import TrainerRefused, trainer_create

TODAY = datetime.date.today


@pytest.mark.django_db
def test_a_trainer_sees_only_the_companies_of_their_batches(trainer, other_trainer, staff,
                                                            company_a, company_b):
    assert list(selectors.companies_visible(user=trainer)) == [company_a]
    assert list(selectors.companies_visible(user=other_trainer)) == [company_b]
    assert set(selectors.companies_visible(user=staff)) >= {company_a, company_b}


@pytest.mark.django_db
def test_a_trainer_cannot_deliver_to_another_trainers_batch_or_company(
        trainer, published_course, batches, company_b):
    for target in ({"batches": [batches[1]]}, {"companies": [company_b]}):
        with pytest.raises(Forbidden) as refused:
            course_deliver(course=published_course, by=trainer, opens_on=TODAY(), **target)
        assert refused.value.code == "delivery_outside_batches"
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
def test_the_delivery_page_offers_and_accepts_only_the_trainers_batches(
        trainer_client, published_course, batches, company_b):
    url = f"/training/courses/{published_course.pk}/deliver/"
    html = trainer_client.get(url, HTTP_HOST="localhost").content.decode()
    assert "第一期" in html and "第二期" not in html and "乙公司" not in html
    response = trainer_client.post(url, {"batches": [batches[1].pk], "audience": "all",
                                         "opens_on": TODAY().isoformat()}, HTTP_HOST="localhost")
    assert response.status_code == 400 and Delivery.objects.count() == 0


@pytest.mark.django_db
def test_a_delivery_reaches_the_batchs_companies_until_withdrawn(trainer, published_course,
                                                                 batches, company_a, company_b):
    delivery = course_deliver(course=published_course, by=trainer, batches=[batches[0]],
                              audience=Audience.POSITIONS,
                              positions=[Position.SECRETARY, Position.ORGANISATION],
                              opens_on=TODAY(), due_on=TODAY() + datetime.timedelta(days=30))
    assert list(selectors.deliveries_for_company(company=company_a)) == [delivery]
    assert list(selectors.deliveries_for_company(company=company_b)) == []
    assert delivery.positions == ["organisation", "secretary"]
    delivery_withdraw(delivery=delivery, by=trainer)
    assert list(selectors.deliveries_for_company(company=company_a)) == []
    assert Delivery.objects.filter(pk=delivery.pk, withdrawn_at__isnull=False).exists()


@pytest.mark.django_db
def test_staff_deliver_anywhere_and_companies_directly(staff, published_course, company_b):
    delivery = course_deliver(course=published_course, by=staff, companies=[company_b],
                              opens_on=TODAY(), required=False)
    assert list(selectors.deliveries_for_company(company=company_b)) == [delivery]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "code"), [
    ({}, "delivery_no_target"),
    ({"batches": "mine", "audience": Audience.POSITIONS}, "delivery_positions"),
    ({"batches": "mine", "audience": Audience.POSITIONS, "positions": ["king"]},
     "delivery_positions"),
    ({"batches": "mine", "due_on": "yesterday"}, "delivery_due_before_open"),
])
def test_delivery_rules(trainer, published_course, batches, changes, code):
    args = {"opens_on": TODAY()}
    if changes.pop("batches", None):
        args["batches"] = [batches[0]]
    if changes.pop("due_on", None):
        args["due_on"] = TODAY() - datetime.timedelta(days=1)
    with pytest.raises(DeliveryRefused) as refused:
        course_deliver(course=published_course, by=trainer, **args, **changes)
    assert refused.value.code == code


@pytest.mark.django_db
def test_an_unpublished_course_cannot_be_delivered(trainer, batches):
    from training import services
    from training.models import Category

    course = services.course_create(title="草稿课", category=Category.THEORY, by=trainer)
    with pytest.raises(DeliveryRefused) as refused:
        course_deliver(course=course, by=trainer, batches=[batches[0]], opens_on=TODAY())
    assert refused.value.code == "delivery_unpublished"


@pytest.mark.django_db
def test_a_trainer_cannot_withdraw_another_trainers_delivery(trainer, other_trainer,
                                                             published_course, batches):
    delivery = course_deliver(course=published_course, by=trainer, batches=[batches[0]],
                              opens_on=TODAY())
    with pytest.raises(Forbidden):
        delivery_withdraw(delivery=delivery, by=other_trainer)


def test_delivery_positions_are_the_organisations_positions():
    from toolkit.org.models import Position as OrgPosition

    assert Position.choices == OrgPosition.choices


@pytest.mark.django_db
def test_a_trainers_login_lands_on_the_workspace_and_staff_pages_stay_closed(client, trainer):
    response = client.post("/login/", {"username": "trainer1", "password": PASSWORD},
                           HTTP_HOST="localhost", follow=True)
    assert response.redirect_chain[-1][0] == "/training/"
    assert "培训工作台" in response.content.decode()
    assert client.get("/applications/", HTTP_HOST="localhost").status_code == 403
    assert client.get("/training/trainers/", HTTP_HOST="localhost").status_code == 403


@pytest.mark.django_db
def test_members_and_strangers_are_kept_out(client, public_tenant):
    assert client.get("/training/", HTTP_HOST="localhost").status_code == 302  # to login
    from accounts.models import Role
    from accounts.services import user_create

    user_create(username="someone", password=PASSWORD, full_name="某人", role=Role.MEMBER)
    signed_in(client, "someone")
    assert client.get("/training/courses/", HTTP_HOST="localhost").status_code == 403


@pytest.mark.django_db
def test_staff_make_a_trainer_who_must_choose_a_password(client, staff, batches):
    signed_in(client, "staff1")
    response = client.post("/training/trainers/", {"full_name": "赵老师", "mobile": "13800000001",
                                                  "email": "zhao@example.cn"},
                           HTTP_HOST="localhost")
    assert response.status_code == 200
    password = response.context["password"]
    trainer = User.objects.get(username="13800000001")
    assert trainer.is_trainer and trainer.must_change_password and trainer.check_password(password)
    client.post(f"/training/trainers/{trainer.pk}/", {"batches": [batches[0].pk]},
                HTTP_HOST="localhost")
    assert list(selectors.batches_visible(user=trainer)) == [batches[0]]
    with pytest.raises(TrainerRefused) as refused:
        trainer_create(full_name="重复", mobile="13800000001")
    assert refused.value.code == "trainer_mobile_taken"


def _reported(company, course, **figures):
    return CompanyCourseRollup.objects.create(company=company, course=course, **figures)


@pytest.mark.django_db
def test_rollups_show_the_trainers_companies_only_and_export(trainer_client, published_course,
                                                             company_a, company_b):
    _reported(company_a, published_course, assigned=40, started=30, completed=20, overdue=3,
              average_score=86.5, hours=45, stop_lesson_title="随堂测验")
    _reported(company_b, published_course, assigned=900, started=800, completed=700, overdue=9,
              average_score=70, hours=999)
    year = timezone.localdate().year
    CompanyHoursRollup.objects.create(company=company_a, year=year, members=40, on_track=10,
                                      hours=300)
    CompanyHoursRollup.objects.create(company=company_b, year=year, members=50, on_track=50)
    page = trainer_client.get("/training/rollups/", HTTP_HOST="localhost")
    html = page.content.decode()
    assert page.status_code == 200
    assert "甲公司" in html and "乙公司" not in html and "900" not in html
    assert "<td>40</td>" in html and "86.5" in html and "随堂测验" in html and "25%" in html
    export = trainer_client.get("/training/rollups/export.xlsx", HTTP_HOST="localhost")
    workbook = load_workbook(io.BytesIO(export.content))
    by_company = [[c.value for c in row] for row in workbook["按公司"].iter_rows()]
    assert by_company[1][:5] == ["甲公司", 40, 30, 20, 3]
    assert len(by_company) == 2  # 乙公司 is not the trainer's
    on_track = [[c.value for c in row] for row in workbook["学时达标"].iter_rows()]
    assert on_track[1][:4] == ["甲公司", 40, 10, 25]


@pytest.mark.django_db
def test_staff_see_every_companys_rollup(client, staff, published_course, company_a, company_b):
    _reported(company_b, published_course, assigned=9, started=5, completed=2)
    signed_in(client, "staff1")
    html = client.get("/training/rollups/", HTTP_HOST="localhost").content.decode()
    assert "乙公司" in html


@pytest.mark.django_db
def test_a_delivery_to_several_batches_shows_a_trainer_only_their_own(
        trainer_client, staff, published_course, batches, company_b):
    course_deliver(course=published_course, by=staff, batches=list(batches),
                   companies=[company_b], opens_on=TODAY())
    html = trainer_client.get("/training/deliveries/", HTTP_HOST="localhost").content.decode()
    assert "第一期" in html and "学习党章" in html
    assert "第二期" not in html and "乙公司" not in html
