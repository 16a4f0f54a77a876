"""Every log line names the company schema and the request id (the proxy's X-Request-ID, or a
new one), which the response carries back."""

import io
import json
import logging

from saas.log import JsonFormatter, RequestContext


def _console():
    return next(handler for handler in logging.getLogger().handlers
                if any(isinstance(f, RequestContext) for f in handler.filters))


def test_a_request_s_log_line_names_its_company_schema_and_its_id(client, company_a):
    handler, stream = _console(), io.StringIO()
    old = handler.setStream(stream)
    try:
        response = client.get("/no/such/page/", HTTP_HOST="alpha.localhost",
                              HTTP_X_REQUEST_ID="req-42.a")
        forged = client.get("/floor/", HTTP_HOST="alpha.localhost",
                            HTTP_X_REQUEST_ID="bad id\nINFO forged line")
    finally:
        handler.setStream(old)
    assert response.status_code == 404 and response["X-Request-ID"] == "req-42.a"
    line = next(line for line in stream.getvalue().splitlines() if "/no/such/page/" in line)
    assert "schema=alpha request=req-42.a" in line
    assert len(forged["X-Request-ID"]) == 32 and "forged" not in forged["X-Request-ID"]


def test_the_json_format_is_one_object_a_line_with_the_same_fields():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "公司 %s", ("甲",), None)
    RequestContext().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "公司 甲" and entry["schema"] == "public"
    assert entry["request_id"] == "-" and entry["level"] == "INFO"
