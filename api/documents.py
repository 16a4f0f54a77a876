"""党建工具包手册 and the other printed documents over the API: the handbook's versions, a
re-render and its progress, downloads; a meeting's minutes, the monthly points report and a
member's dues statement. The same services, selectors and access rules as the pages
(toolkit/documents/views.py, report_views.py; decision 0015)."""

import datetime
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import ADMIN, COMPANY_USER, MEMBER
from tenants.selectors import current_company
from toolkit.documents import selectors, services
from toolkit.documents.models import Edition, HandbookRender
from toolkit.documents.reports import dues_statement_pdf, meeting_minutes_pdf, points_report_pdf
from toolkit.life.models import Meeting
from toolkit.life.selectors import meeting_managed_by

PDF = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")}


class RenderOut(serializers.ModelSerializer):
    running = serializers.BooleanField()

    class Meta:
        model = HandbookRender
        fields = ["id", "edition", "status", "running", "progress", "step", "error", "pages",
                  "issued", "data_timestamp", "content_sha256", "created_at", "finished_at"]


def _pdf(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _visible(request, render_id: int) -> HandbookRender:
    """The admin sees every version; anyone else a finished members' edition only (404
    otherwise, as if it were not there)."""
    found = get_object_or_404(HandbookRender, pk=render_id)
    if request.user.is_company_admin or selectors.render_downloadable_by(user=request.user,
                                                                        render=found):
        return found
    raise Http404


class HandbookList(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=RenderOut(many=True), summary="The handbook's versions",
                   description="The admin: every version of both editions, newest first. "
                               "Others: the finished members' editions.")
    def get(self, request):
        if request.user.is_company_admin:
            found = selectors.renders()[:50]
        else:
            found = [r for r in selectors.renders(edition=Edition.MEMBER)[:50]
                     if selectors.render_downloadable_by(user=request.user, render=r)]
        return Response(RenderOut(found, many=True).data)


class HandbookRerender(APIView):
    permission_classes = ADMIN

    @extend_schema(request=None, responses={202: RenderOut(many=True)},
                   summary="Render a new version of both editions (admin)")
    def post(self, request):
        found = [services.handbook_request(edition=edition, by=request.user)
                 for edition in (Edition.FULL, Edition.MEMBER)]
        return Response(RenderOut(found, many=True).data, status=status.HTTP_202_ACCEPTED)


class HandbookDetail(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=RenderOut, summary="A version's status and progress")
    def get(self, request, render_id):
        return Response(RenderOut(_visible(request, render_id)).data)


class HandbookRetry(APIView):
    permission_classes = ADMIN

    @extend_schema(request=None, responses={202: RenderOut},
                   summary="Retry a failed render (admin)")
    def post(self, request, render_id):
        found = services.handbook_retry(render=get_object_or_404(HandbookRender, pk=render_id))
        return Response(RenderOut(found).data, status=status.HTTP_202_ACCEPTED)


class HandbookDownload(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=PDF, summary="Download a version (members: the members' edition)")
    def get(self, request, render_id):
        name, data = services.handbook_download(render=_visible(request, render_id),
                                                user=request.user)
        return _pdf(name, data)


class MeetingMinutes(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=PDF, summary="A meeting's minutes with attendance and leave",
                   description="For whoever manages the meeting, as on the meeting page.")
    def get(self, request, meeting_id):
        meeting = get_object_or_404(Meeting.objects.select_related("unit"), pk=meeting_id)
        if not meeting_managed_by(user=request.user, meeting=meeting):
            raise PermissionDenied
        return _pdf(_("会议记录-%(date)s.pdf") % {"date": f"{meeting.starts_at:%Y%m%d}"},
                    meeting_minutes_pdf(meeting=meeting))


class PointsReport(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=PDF, summary="The monthly points report (终评) of a closed month")
    def get(self, request, year, month):
        try:
            first = datetime.date(year, month, 1)
        except (ValueError, OverflowError) as error:
            raise Http404 from error
        data = points_report_pdf(month=first, company_name=current_company().name)
        if data is None:
            raise Http404  # not closed yet
        return _pdf(_("积分月度终评-%(month)s.pdf") % {"month": f"{first:%Y%m}"}, data)


class DuesStatement(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=PDF, summary="My dues statement for a year")
    def get(self, request, year):
        if not 2000 <= year <= 2100:
            raise Http404
        data = dues_statement_pdf(member=request.member, year=year,
                                  company_name=current_company().name)
        return _pdf(_("党费交纳明细-%(year)s.pdf") % {"year": year}, data)
