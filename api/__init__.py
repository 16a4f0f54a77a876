"""The REST API: /api/v1/ on a company's host, over the same services and selectors as the
pages (docs/decisions/0013-rest-api.md). One module per toolkit area; serializers stay thin."""
