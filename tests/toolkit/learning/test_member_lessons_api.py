"""共享党课 over the API: upload from a phone (multipart), a secretary's review, opening with a
colleague's share token, heartbeats; a disguised file is refused; B's token sees nothing of A."""

import urllib.parse

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from tests.toolkit.api.conftest import api_login, auth

HOST = "alpha.localhost"


def _upload(client, token, name, data):
    response = client.post("/api/v1/learning/shared/", {
        "title": "讲三会一课", "topic": "三会一课", "summary": "",
        "media": SimpleUploadedFile(name, data)}, HTTP_HOST=HOST, **auth(token))
    connection.set_schema_to_public()
    return response


def test_upload_review_share_and_watch_through_the_api(org_a, org_b, media_files, api):
    lecturer, secretary = org_a.members[2], org_a.members[0]
    token = api_login(Client(), HOST, lecturer.user.mobile)
    client = Client()
    bad = _upload(client, token, "x.mp4", b"not a video at all " * 100)
    assert bad.status_code == 400 and bad.json()["code"] == "media_type_not_allowed"
    made = _upload(client, token, "talk.mp3", media_files["mp3"])
    assert made.status_code == 201, made.content
    uid = made.json()["uid"]
    assert made.json()["status"] == "pending"
    own = api("post", HOST, f"/api/v1/learning/shared/{uid}/review/", token,
              {"decision": "approved"})
    assert own.status_code == 403  # a plain member is no manager
    boss = api_login(Client(), HOST, secretary.user.mobile)
    queue = api("get", HOST, "/api/v1/learning/shared/review/", boss).json()
    assert [row["uid"] for row in queue] == [uid]
    done = api("post", HOST, f"/api/v1/learning/shared/{uid}/review/", boss,
               {"decision": "approved"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    library = api("get", HOST, "/api/v1/learning/shared/", token).json()
    assert [row["uid"] for row in library] == [uid]
    sharer = api_login(Client(), HOST, org_a.members[3].user.mobile)
    share_url = api("post", HOST, f"/api/v1/learning/shared/{uid}/open/", sharer
                    ).json()["share_url"]
    share_token = urllib.parse.parse_qs(urllib.parse.urlsplit(share_url).query)["s"][0]
    colleague = api_login(Client(), HOST, org_a.members[4].user.mobile)
    opened = api("post", HOST, f"/api/v1/learning/shared/{uid}/open/", colleague,
                 {"share_token": share_token})
    assert opened.status_code == 200 and opened.json()["watched_seconds"] == 0
    beat = api("post", HOST, f"/api/v1/learning/shared/{uid}/heartbeat/", colleague,
               {"position": 2})
    assert beat.status_code == 200 and beat.json()["position_seconds"] == 2
    other = api_login(Client(), "beta.localhost", org_b.members[4].user.mobile)
    assert api("get", "beta.localhost", "/api/v1/learning/shared/", other).json() == []
    assert api("post", "beta.localhost", f"/api/v1/learning/shared/{uid}/open/", other
               ).status_code == 404
