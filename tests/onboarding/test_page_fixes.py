import pytest
from django.urls import reverse


@pytest.mark.parametrize("page", ["list", "detail"])
def test_the_staff_navigation_is_on_the_company_pages(staff_client, company_a, page):
    path = "/companies/" if page == "list" else f"/companies/{company_a.pk}/"
    html = staff_client.get(path, HTTP_HOST="localhost").content.decode()
    nav = html[html.index('<nav class="staff-nav" aria-label="工作台">'):]
    nav = nav[:nav.index("</nav>")]
    for link in [reverse("onboarding:overview", urlconf="saas.urls_public"),
                 reverse("onboarding:application_list", urlconf="saas.urls_public"),
                 reverse("onboarding:batch_list", urlconf="saas.urls_public"),
                 reverse("tenants:company_list", urlconf="saas.urls_public")]:
        assert f'href="{link}"' in nav


def test_the_apply_button_says_submit_in_english(client, public_tenant):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("onboarding:apply", urlconf="saas.urls_public"),
                      HTTP_HOST="localhost").content.decode()
    assert '<button type="submit">Submit application</button>' in html
    assert "Applied" not in html
