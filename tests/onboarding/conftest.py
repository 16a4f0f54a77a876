import pytest
from django.core import mail

from accounts.models import Role
from accounts.services import user_create


@pytest.fixture
def committed(tasks_run_here, django_capture_on_commit_callbacks):
    """`with committed():` runs what the block queued for after commit, tasks included, in
    this process (the async path is covered with a real worker); mail lands in mail.outbox."""
    mail.outbox.clear()
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def staff(public_tenant):
    return user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)


@pytest.fixture
def staff_client(client, staff):
    client.post("/login/", {"username": "staff1", "password": "pw-123456"}, HTTP_HOST="localhost")
    return client


VALID_CODES = ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"]


def application_data(**overrides) -> dict:
    data = {"company_name": "星火物流有限公司", "credit_code": VALID_CODES[0],
            "industry": "logistics", "contact_name": "周建国", "mobile": "13712345678",
            "email": "zhou@example.cn", "has_party_org": True, "party_members": 46,
            "party_branches": 3, "preferred_batch": None}
    data.update(overrides)
    return data
