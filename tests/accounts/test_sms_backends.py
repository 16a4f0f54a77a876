"""The SMS backends: the default console/file one (one file per company) and Aliyun's, tested
against a loopback HTTP server that checks the signature the way Aliyun does. No test ever
reaches the real network."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl

import pytest
from django_tenants.utils import schema_context

from accounts.sms import Sms, SmsKind, SmsRejected, SmsThrottled, SmsUnavailable, aliyun, console
from accounts.tasks import sms_send_task

pytestmark = pytest.mark.django_db

SMS_DOC = {  # Aliyun's worked example for SendSms (AccessKeySecret "testSecret", GET)
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
    "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}


def test_signature_matches_aliyuns_worked_examples():
    assert aliyun.signature(SMS_DOC, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    regions = {"Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions",
               "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
               "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
               "Version": "2014-05-26", "Timestamp": "2016-02-23T12:46:24Z"}
    assert aliyun.signature(regions, "testsecret", "GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_percent_encoding_follows_aliyuns_rules():
    assert aliyun.percent_encode("a b*~/") == "a%20b%2A~%2F"


class FakeAliyun(BaseHTTPRequestHandler):
    """Answers SendSms like Aliyun: the signature is checked, then `answer` decides."""

    answer: tuple[int, dict] = (200, {"Code": "OK", "Message": "OK", "BizId": "9006197469364^0"})
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        params = dict(parse_qsl(body, keep_blank_values=True))
        FakeAliyun.received.append(params)
        status, answer = FakeAliyun.answer
        if aliyun.signature(params, "secret-of-test", "POST") != params.get("Signature"):
            status, answer = 400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(answer).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_aliyun(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeAliyun)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeAliyun.received = []
    settings.SMS_BACKEND = "accounts.sms.aliyun.SmsBackend"
    settings.SMS_ALIYUN_ENDPOINT = f"http://127.0.0.1:{server.server_port}/"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "secret-of-test"
    settings.SMS_ALIYUN_SIGN_NAME = "星火物流"
    settings.SMS_ALIYUN_TEMPLATE_CODE = "SMS_100001"
    settings.SMS_ALIYUN_TEMPLATE_INVITE = "SMS_100002"
    yield FakeAliyun
    server.shutdown()
    server.server_close()


CODE = Sms(mobile="13812345678", kind=SmsKind.CODE, params={"code": "123456"}, text="…")


def test_aliyun_sends_a_signed_sendsms(fake_aliyun):
    fake_aliyun.answer = (200, {"Code": "OK", "Message": "OK", "BizId": "biz-1"})
    assert aliyun.SmsBackend().send(CODE) == "biz-1"
    sent = fake_aliyun.received[-1]
    assert sent["Action"] == "SendSms" and sent["PhoneNumbers"] == "13812345678"
    assert sent["SignName"] == "星火物流" and sent["TemplateCode"] == "SMS_100001"
    assert json.loads(sent["TemplateParam"]) == {"code": "123456"}
    assert sent["AccessKeyId"] == "LTAI-test" and "secret-of-test" not in json.dumps(sent)


def test_aliyun_uses_the_invitation_template_for_invitations(fake_aliyun):
    aliyun.SmsBackend().send(Sms(mobile="13812345678", kind=SmsKind.INVITE,
                                 params={"name": "张伟", "url": "https://a.example.cn/x/"}))
    assert fake_aliyun.received[-1]["TemplateCode"] == "SMS_100002"


def test_aliyun_wrong_secret_is_a_clear_refusal(fake_aliyun, settings):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "wrong"
    with pytest.raises(SmsRejected, match="SignatureDoesNotMatch"):
        aliyun.SmsBackend().send(CODE)


def test_aliyun_illegal_number_is_rejected_with_a_message(fake_aliyun):
    fake_aliyun.answer = (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
    with pytest.raises(SmsRejected, match="手机号码无效"):
        aliyun.SmsBackend().send(CODE)


def test_aliyun_flow_control_is_throttling(fake_aliyun):
    fake_aliyun.answer = (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"})
    with pytest.raises(SmsThrottled, match="限制"):
        aliyun.SmsBackend().send(CODE)


def test_aliyun_server_error_is_unavailable(fake_aliyun):
    fake_aliyun.answer = (503, {"Code": "ServiceUnavailable", "Message": "busy"})
    with pytest.raises(SmsUnavailable):
        aliyun.SmsBackend().send(CODE)


def test_aliyun_unreachable_is_unavailable(settings, fake_aliyun):
    settings.SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:9/"  # discard port: nobody listens
    with pytest.raises(SmsUnavailable):
        aliyun.SmsBackend().send(CODE)


def test_the_task_retries_when_the_provider_is_unavailable(fake_aliyun, company_a):
    fake_aliyun.answer = (503, {"Code": "ServiceUnavailable", "Message": "busy"})
    with schema_context("alpha"):
        result = sms_send_task.apply(args=[CODE.mobile, CODE.kind, CODE.params, CODE.text])
    # Run eagerly, the retries follow at once: the first try and three more, then it fails.
    assert len(fake_aliyun.received) == 4
    assert result.state == "FAILURE" and isinstance(result.result, SmsUnavailable)


def test_the_task_gives_up_quietly_on_a_rejected_number(fake_aliyun, company_a):
    fake_aliyun.answer = (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
    with schema_context("alpha"):
        result = sms_send_task.apply(args=[CODE.mobile, CODE.kind, CODE.params, CODE.text])
    assert result.state == "SUCCESS" and result.result == ""


def test_console_backend_writes_one_file_per_company(settings, tmp_path, company_a, company_b):
    settings.SMS_FILE_PATH = str(tmp_path)
    with schema_context("alpha"):
        console.SmsBackend().send(Sms(mobile="13800000001", kind=SmsKind.CODE, text="甲的验证码"))
    with schema_context("beta"):
        console.SmsBackend().send(Sms(mobile="13800000001", kind=SmsKind.CODE, text="乙的验证码"))
    assert "甲的验证码" in (tmp_path / "alpha.log").read_text(encoding="utf-8")
    assert "乙的验证码" not in (tmp_path / "alpha.log").read_text(encoding="utf-8")
    assert "乙的验证码" in (tmp_path / "beta.log").read_text(encoding="utf-8")
