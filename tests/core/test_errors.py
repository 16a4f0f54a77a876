"""The one refusal type and the places it is mapped: an API body, a form, a page's flash."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.errors import Forbidden, Refused, error_body, error_status, refusal_to_form
from core.middleware import RefusalMiddleware
from toolkit.mall.services import RedemptionRefused


def test_a_refusal_is_a_body_with_its_code_and_message():
    refusal = RedemptionRefused("此奖品已兑完", code="reward_out_of_stock")
    assert error_body(refusal) == {"code": "reward_out_of_stock", "message": "此奖品已兑完",
                                   "fields": {}}
    assert error_status(refusal) == 400 and str(refusal) == "此奖品已兑完"


def test_a_field_refusal_names_its_fields_and_its_first_message_is_the_message():
    refusal = Refused(code="unit_name_missing", fields={"name": ["请填写组织名称。"]})
    assert error_body(refusal) == {"code": "unit_name_missing", "message": "请填写组织名称。",
                                   "fields": {"name": ["请填写组织名称。"]}}


def test_a_validation_error_is_an_invalid_body_with_its_fields():
    error = ValidationError({"mobile": ["手机号不对。"], "__all__": ["两次输入不一致。"]})
    assert error_body(error) == {"code": "invalid", "message": "两次输入不一致。",
                                 "fields": {"mobile": ["手机号不对。"]}}
    assert error_body(ValidationError("太短了。")) == {
        "code": "invalid", "message": "太短了。", "fields": {}}
    assert error_status(error) == 400


def test_a_permission_refusal_is_a_forbidden_body_with_403():
    for error in (PermissionDenied(), Forbidden()):
        body = error_body(error)
        assert body["code"] == "forbidden" and body["message"] == "你没有权限进行此操作。"
        assert error_status(error) == 403
    assert error_body(Forbidden(code="not_own_claim"))["code"] == "not_own_claim"


def test_a_bug_is_not_turned_into_a_refusal():
    with pytest.raises(TypeError):
        error_body(RuntimeError("boom"))


class NameForm(forms.Form):
    name = forms.CharField()


def _form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    return form


def test_a_refusal_goes_to_its_fields_on_the_form_and_the_rest_on_top():
    form = _form()
    refusal_to_form(form, Refused(code="x_y", fields={"name": ["重名了。"], "parent": ["不行。"]}))
    assert form.errors["name"] == ["重名了。"]
    assert form.non_field_errors() == ["不行。"]  # the form has no such field
    form = _form()
    refusal_to_form(form, Refused("名额已满。", code="task_full"))
    assert form.non_field_errors() == ["名额已满。"] and "name" not in form.errors


def test_a_validation_error_goes_to_the_form_too():
    form = _form()
    refusal_to_form(form, ValidationError({"name": ["太长了。"]}))
    assert form.errors["name"] == ["太长了。"]
    form = _form()
    refusal_to_form(form, ValidationError("整体不对。"))
    assert form.non_field_errors() == ["整体不对。"]


def _request(method="post", referer=None, host="alpha.localhost"):
    headers = {"HTTP_HOST": host}
    if referer:
        headers["HTTP_REFERER"] = referer
    request = getattr(RequestFactory(), method)("/mall/1/redeem/", **headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _flashed(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


@pytest.fixture
def middleware():
    return RefusalMiddleware(lambda request: None)


@pytest.mark.parametrize("referer, back", [
    ("http://alpha.localhost/mall/?page=2", "http://alpha.localhost/mall/?page=2"),
    ("http://evil.example/phish/", "/"),  # another host: never an open redirect
    ("http://beta.localhost/mall/", "/"),  # another company is another host
    (None, "/"),
])
def test_an_uncaught_refusal_is_flashed_and_goes_back(settings, middleware, referer, back):
    settings.ALLOWED_HOSTS = ["*"]
    request = _request(referer=referer)
    response = middleware.process_exception(
        request, RedemptionRefused("此奖品已兑完", code="reward_out_of_stock"))
    assert response.status_code == 302 and response["Location"] == back
    assert _flashed(request) == ["此奖品已兑完"]


def test_a_get_refused_on_its_own_page_goes_home_not_round_in_a_loop(settings, middleware):
    settings.ALLOWED_HOSTS = ["*"]
    request = _request("get", referer="http://alpha.localhost/mall/1/redeem/")
    response = middleware.process_exception(request, Refused("不行。", code="x_y"))
    assert response["Location"] == "/" and _flashed(request) == ["不行。"]


def test_forbidden_on_a_get_is_the_403_page(settings, middleware, db):
    settings.ALLOWED_HOSTS = ["*"]
    request = _request("get", referer="http://alpha.localhost/mall/")
    response = middleware.process_exception(request, Forbidden())
    assert response.status_code == 403 and _flashed(request) == []


def test_forbidden_on_a_post_is_flashed_and_goes_back(settings, middleware):
    settings.ALLOWED_HOSTS = ["*"]
    request = _request(referer="http://alpha.localhost/arena/3/")
    response = middleware.process_exception(request, Forbidden())
    assert response.status_code == 302 and response["Location"] == "http://alpha.localhost/arena/3/"
    assert _flashed(request) == ["你没有权限进行此操作。"]


def test_anything_else_is_left_to_django(middleware):
    assert middleware.process_exception(_request(), RuntimeError("a bug")) is None
    assert middleware.process_exception(_request(), PermissionDenied()) is None


def test_the_middleware_is_installed(settings):
    assert "core.middleware.RefusalMiddleware" in settings.MIDDLEWARE


def test_a_weak_password_is_a_field_refusal():
    from accounts.passwords import PasswordRefused, password_check

    with pytest.raises(PasswordRefused) as caught:
        password_check(password="123", user=None)
    assert caught.value.code == "password_too_weak"
    assert caught.value.fields["password"] and caught.value.message
    password_check(password="a-Long-enough-2026", user=None)  # a good one passes
