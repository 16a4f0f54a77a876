"""Service projects (百县千品, 乡村振兴) over the API: projects with their figures' totals, the
company's totals, joining, and a participant's progress report with evidence (toolkit.projects:
the pages' services and access rules; the report takes the page's own form)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms import form_valid
from api.permissions import COMPANY_USER, MEMBER
from toolkit.projects import selectors, services
from toolkit.projects.forms import ReportForm
from toolkit.projects.models import FigureKind, Project, ProjectKind

AMOUNT = {"max_digits": 16, "decimal_places": 2}


class FigureOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=FigureKind.choices)
    target = serializers.DecimalField(allow_null=True, **AMOUNT)
    total = serializers.DecimalField(**AMOUNT)


class ProjectOut(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ProjectKind.choices)
    participant_count = serializers.IntegerField()
    report_count = serializers.IntegerField()

    class Meta:
        model = Project
        fields = ["id", "name", "kind", "goal", "starts_on", "ends_on", "participant_count",
                  "report_count"]


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_on = serializers.DateField()
    note = serializers.CharField()
    member = serializers.CharField(source="member.user.full_name")
    values = serializers.SerializerMethodField()

    def get_values(self, report) -> dict[str, str]:
        return {str(v.figure_id): str(v.value) for v in report.values.all()}


class ProjectDetailOut(serializers.Serializer):
    project = ProjectOut()
    figures = FigureOut(many=True)
    participant = serializers.BooleanField()
    reports = ReportOut(many=True)


class TotalOut(serializers.Serializer):
    project_kind = serializers.ChoiceField(choices=ProjectKind.choices)
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=FigureKind.choices)
    total = serializers.DecimalField(**AMOUNT)


class Projects(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=ProjectOut(many=True), summary="Service projects")
    def get(self, request):
        return Response(ProjectOut(selectors.projects(), many=True).data)


class Totals(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=TotalOut(many=True),
                   summary="The company's service-project totals by figure")
    def get(self, request):
        return Response(TotalOut(selectors.company_totals(), many=True).data)


def _detail(request, project) -> dict:
    return ProjectDetailOut({
        "project": selectors.projects().get(pk=project.pk),
        "figures": selectors.figures_with_totals(project=project),
        "participant": selectors.is_participant(project=project, member=request.member),
        "reports": selectors.reports_of(project=project)}).data


class ProjectDetail(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=ProjectDetailOut, summary="A project, its figures and reports")
    def get(self, request, project_id):
        return Response(_detail(request, get_object_or_404(Project, pk=project_id)))


class Join(APIView):
    permission_classes = MEMBER

    @extend_schema(request=None, responses=ProjectDetailOut, summary="Join a project")
    def post(self, request, project_id):
        project = get_object_or_404(Project, pk=project_id)
        services.participant_add(by=request.user, project=project, member=request.member)
        return Response(_detail(request, project))


class ReportIn(serializers.Serializer):
    occurred_on = serializers.DateField()
    note = serializers.CharField(max_length=500)
    files = serializers.ListField(child=serializers.FileField(), help_text=(
        "Evidence: images or PDFs, judged by their content"))
    figure_id = serializers.DecimalField(required=False, help_text=(
        "One field per figure, named figure_<id>: the amount this report adds"), **AMOUNT)


class Reports(APIView):
    permission_classes = MEMBER
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ReportIn}, responses={201: ReportOut},
                   summary="Report progress on a project I take part in")
    def post(self, request, project_id):
        project = get_object_or_404(Project, pk=project_id)
        form = ReportForm(request.data, request.FILES, figures=project.figures.all())
        data = form_valid(form)
        report = services.report_submit(by=request.user, project=project,
                                        occurred_on=data["occurred_on"], note=data["note"],
                                        values=form.values(), files=data["files"])
        return Response(ReportOut(report).data, status=201)
