"""Fixtures for the toolkit: a company with an organisation and members, made the fast way."""

import datetime
import itertools
import zlib
from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import make_password
from django_tenants.utils import schema_context

from accounts.models import Role, User
from demo.names import chinese_names
from toolkit.org.models import Member, OrgUnit, Position, UnitKind

_mobiles = itertools.count(13900000001)
# Members of long standing: dues are owed from the month they joined the company.
LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


@dataclass
class Org:
    schema: str
    committee: OrgUnit
    branches: list[OrgUnit]
    members: list[Member]
    admin: User


def name_seed(schema: str) -> int:
    # crc32, not hash(): str hashes differ from one process to the next (PYTHONHASHSEED).
    return zlib.crc32(schema.encode()) % 1000


def build_org(schema: str, *, members: int = 6, branches: int = 2) -> Org:
    """Inside `schema`: a committee, branches, members spread over them (the first member of
    each branch is its secretary), and a company admin. Passwords are all 'pw-123456'."""
    password = make_password("pw-123456")
    with schema_context(schema):
        committee = OrgUnit.objects.create(name=f"{schema}党委", kind=UnitKind.COMMITTEE)
        units = [OrgUnit.objects.create(name=f"第{i}党支部", kind=UnitKind.BRANCH,
                                        parent=committee, order=i)
                 for i in range(1, branches + 1)]
        admin = User.objects.create(username="admin", full_name=f"{schema}管理员",
                                    role=Role.COMPANY_ADMIN, password=password)
        names = chinese_names(members, seed=name_seed(schema))
        people = []
        for index, name in enumerate(names):
            mobile = str(next(_mobiles))
            user = User.objects.create(username=mobile, mobile=mobile, full_name=name,
                                       role=Role.MEMBER, password=password,
                                       date_joined=LONG_AGO)
            unit = units[index % len(units)]
            secretary = index < len(units)
            people.append(Member.objects.create(
                user=user, unit=unit,
                position=Position.SECRETARY if secretary else Position.MEMBER))
            if secretary:
                unit.secretary = people[-1]
                unit.save(update_fields=["secretary"])
    return Org(schema, committee, units, people, admin)


@pytest.fixture
def org_a(make_company):
    make_company(name="甲公司", slug="alpha")
    return build_org("alpha")


@pytest.fixture
def org_b(make_company):
    make_company(name="乙公司", slug="beta")
    return build_org("beta")


def login(client, host: str, username: str, password: str = "pw-123456") -> None:
    from django.db import connection

    response = client.post("/login/", {"username": username, "password": password},
                           HTTP_HOST=host)
    assert response.status_code == 302, "login failed"
    connection.set_schema_to_public()
