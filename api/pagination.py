from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class PageNumber(PageNumberPagination):
    """?page=N&page_size=M; M defaults to API_PAGE_SIZE and is capped at API_MAX_PAGE_SIZE."""

    page_size_query_param = "page_size"

    @property
    def page_size(self):
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE
