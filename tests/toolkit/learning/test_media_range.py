"""Protected media answer Range requests: 206 with the right bytes, 416 when unsatisfiable."""

from tests.toolkit.conftest import login
from tests.toolkit.learning.helpers import enrolled

HOST = "alpha.localhost"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_range_gives_206_with_the_right_bytes(client, org_a, built, media_files):
    member = org_a.members[2]
    enrolled(built, member)
    login(client, HOST, member.user.username)
    url = f"/learning/media/{built.lessons['video'].pk}/"
    data = media_files["mp4"]
    whole = client.get(url, HTTP_HOST=HOST)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert _body(whole) == data and whole["Content-Type"] == "video/mp4"
    middle = client.get(url, HTTP_HOST=HOST, HTTP_RANGE="bytes=100-199")
    assert middle.status_code == 206
    assert middle["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert _body(middle) == data[100:200] and middle["Content-Length"] == "100"
    tail = client.get(url, HTTP_HOST=HOST, HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206 and _body(tail) == data[-50:]
    open_end = client.get(url, HTTP_HOST=HOST, HTTP_RANGE=f"bytes={len(data) - 10}-")
    assert _body(open_end) == data[-10:]


def test_unsatisfiable_range_is_416(client, org_a, built, media_files):
    member = org_a.members[2]
    enrolled(built, member)
    login(client, HOST, member.user.username)
    url = f"/learning/media/{built.lessons['video'].pk}/"
    size = len(media_files["mp4"])
    for header in (f"bytes={size}-", "bytes=50-10", "bytes=-0", "bytes=x-y"):
        response = client.get(url, HTTP_HOST=HOST, HTTP_RANGE=header)
        assert response.status_code == 416, header
        assert response["Content-Range"] == f"bytes */{size}"


def test_accel_redirect_hands_the_file_to_the_proxy(client, org_a, built, settings):
    settings.LEARNING_MEDIA_ACCEL_PREFIX = "/_shared-media/"
    member = org_a.members[2]
    enrolled(built, member)
    login(client, HOST, member.user.username)
    lesson = built.lessons["video"]
    response = client.get(f"/learning/media/{lesson.pk}/", HTTP_HOST=HOST)
    assert response["X-Accel-Redirect"] == f"/_shared-media/{lesson.media.name}"
    assert response.content == b""


def test_a_draft_versions_file_is_nobodys_to_open(client, org_a, built):
    """A trainer's next draft (same course, so the company "has" it) stays closed until
    published, however its lesson id is guessed."""
    from training.models import VersionStatus

    member = org_a.members[2]
    enrolled(built, member)
    login(client, HOST, member.user.username)
    url = f"/learning/media/{built.lessons['video'].pk}/"
    assert client.get(url, HTTP_HOST=HOST).status_code == 200
    built.version.status = VersionStatus.DRAFT
    built.version.save(update_fields=["status"])
    assert client.get(url, HTTP_HOST=HOST).status_code == 404
