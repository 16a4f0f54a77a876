"""扫码党课: the QR sheets are real PDFs whose codes decode (pdftoppm + zbarimg) to the lesson's
stable URL, which opens the lesson; on another company that URL is nothing."""

import subprocess

from tests.toolkit.conftest import login
from tests.toolkit.learning.helpers import enrolled
from tests.toolkit.learning.test_member_lessons import HOST_A, HOST_B, _approved


def _decoded(pdf: bytes, tmp_path) -> list[str]:
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True)
    found = []
    for page in sorted(tmp_path.glob("page*.png")):
        done = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True,
                              text=True, check=False)
        found += [line for line in done.stdout.splitlines() if line]
    return found


def test_member_lesson_sheet_decodes_to_its_stable_url(client, org_a, org_b, media_files,
                                                       tmp_path):
    lesson = _approved(org_a, media_files)
    login(client, HOST_A, org_a.members[0].user.username)  # a secretary may print
    response = client.get(f"/learning/shared/{lesson.uid}/qr.pdf", HTTP_HOST=HOST_A)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    url = f"http://{HOST_A}/learning/l/{lesson.uid}/"
    assert _decoded(response.content, tmp_path) == [url]
    opened = client.get(url, HTTP_HOST=HOST_A)
    assert opened.status_code == 302 and opened["Location"] == f"/learning/shared/{lesson.uid}/"
    topic = client.get("/learning/shared/topic-qr.pdf?topic=党章", HTTP_HOST=HOST_A)
    assert topic.status_code == 200
    client.logout()
    login(client, HOST_A, org_a.members[4].user.username)  # a plain member may not
    assert client.get(f"/learning/shared/{lesson.uid}/qr.pdf",
                      HTTP_HOST=HOST_A).status_code == 403
    client.logout()
    login(client, HOST_B, org_b.members[4].user.username)
    assert client.get(f"/learning/l/{lesson.uid}/", HTTP_HOST=HOST_B).status_code == 404


def test_training_lesson_qr_opens_it_and_is_nothing_without_the_course(
        client, org_a, org_b, built, tmp_path):
    member = org_a.members[2]
    enrolled(built, member)
    lesson = built.lessons["video"]
    login(client, HOST_A, "admin")
    sheet = client.get(f"/learning/qr/course/{built.course.pk}.pdf", HTTP_HOST=HOST_A)
    assert sheet.status_code == 200
    urls = _decoded(sheet.content, tmp_path)
    assert f"http://{HOST_A}/learning/l/{lesson.uid}/" in urls and len(urls) == 3
    client.logout()
    login(client, HOST_A, member.user.username)
    opened = client.get(f"/learning/l/{lesson.uid}/", HTTP_HOST=HOST_A)
    assert opened.status_code == 302
    assert opened["Location"] == f"/learning/course/{built.course.pk}/lesson/{lesson.pk}/"
    client.logout()
    login(client, HOST_B, org_b.members[2].user.username)  # B has not got the course
    assert client.get(f"/learning/l/{lesson.uid}/", HTTP_HOST=HOST_B).status_code == 404
    login(client, HOST_B, "admin")
    assert client.get(f"/learning/qr/course/{built.course.pk}.pdf",
                      HTTP_HOST=HOST_B).status_code == 404
    assert client.get(f"/learning/qr/lesson/{lesson.uid}.pdf",
                      HTTP_HOST=HOST_B).status_code == 404
