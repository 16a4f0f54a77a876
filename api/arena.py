"""任务擂台 over the API: the pages' selectors (toolkit.arena.selectors) and services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms import form_valid
from api.permissions import COMPANY_USER, MANAGER, MEMBER
from toolkit.arena import selectors, services
from toolkit.arena.forms import SubmitForm, TaskForm
from toolkit.arena.models import Claim, ClaimStatus, Task


class TaskOut(serializers.ModelSerializer):
    publisher = serializers.CharField(source="publisher.name")
    taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "description", "publisher", "points", "deadline", "places",
                  "taken", "status"]


class ClaimOut(serializers.Serializer):
    id = serializers.IntegerField()
    task_id = serializers.IntegerField()
    task = serializers.CharField(source="task.title")
    status = serializers.CharField()
    evidence_text = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    review_note = serializers.CharField()
    created_at = serializers.DateTimeField()


class TaskDetailOut(TaskOut):
    my_claim = serializers.SerializerMethodField()

    class Meta(TaskOut.Meta):
        fields = [*TaskOut.Meta.fields, "my_claim"]

    @extend_schema(responses=ClaimOut)
    def get_my_claim(self, task) -> dict | None:
        claim = selectors.claim_of(task=task, member=self.context["member"])
        return ClaimOut(claim).data if claim else None


class TaskIn(serializers.Serializer):
    """Described for the schema; the page's TaskForm validates (publisher: a unit I manage)."""

    publisher = serializers.IntegerField()
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    points = serializers.IntegerField(min_value=1, max_value=1000)
    places = serializers.IntegerField(min_value=1, max_value=1000)
    deadline = serializers.DateTimeField()


class TaskList(generics.ListAPIView):
    """Open tasks, visible to everyone signed in (the task list page's selector)."""

    permission_classes = COMPANY_USER
    serializer_class = TaskOut
    ordering_fields = ["deadline", "points", "created_at"]
    ordering = ["deadline"]

    def get_queryset(self):
        return selectors.open_tasks()

    def get_permissions(self):
        # Anyone signed in reads; publishing is for secretaries and the admin (the page's).
        if self.request.method == "POST":
            return [permission() for permission in MANAGER]
        return super().get_permissions()

    def get_throttles(self):
        self.throttle_scope = "api-write" if self.request.method == "POST" else None
        return super().get_throttles()

    @extend_schema(request=TaskIn, responses={201: TaskOut}, summary="Publish a task")
    def post(self, request):
        data = form_valid(TaskForm(request.data, unit_ids=request.managed))
        task = services.task_publish(by=request.user, **data)  # refusals: api.errors
        return Response(TaskOut(selectors.open_tasks().get(pk=task.pk)).data,
                        status=status.HTTP_201_CREATED)


class TaskDetail(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=TaskDetailOut, summary="A task, with my claim on it")
    def get(self, request, task_id: int):
        task = get_object_or_404(Task.objects.select_related("publisher"), pk=task_id)
        return Response(TaskDetailOut(task, context={"member": request.member}).data)


class TaskClaim(APIView):
    permission_classes = MEMBER
    throttle_scope = "api-write"

    @extend_schema(request=None, responses={201: ClaimOut}, summary="Claim a task")
    def post(self, request, task_id: int):
        task = get_object_or_404(Task, pk=task_id)
        claim = services.task_claim(task=task, member=request.member)  # refusals: api.errors
        return Response(ClaimOut(claim).data, status=status.HTTP_201_CREATED)


class ClaimFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClaimStatus.choices, required=False)


class MyClaims(generics.ListAPIView):
    """My claims, newest first; ?status= narrows them (claimed, submitted, returned, …)."""

    permission_classes = MEMBER
    serializer_class = ClaimOut

    def get_queryset(self):
        claims = selectors.claims_of(member=self.request.member)
        filters = ClaimFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        if "status" in filters.validated_data:
            claims = claims.filter(status=filters.validated_data["status"])
        return claims

    @extend_schema(parameters=[ClaimFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyClaim(generics.RetrieveAPIView):
    """One of my claims; another member's claim does not exist here (404)."""

    permission_classes = MEMBER
    serializer_class = ClaimOut
    lookup_url_kwarg = "claim_id"

    def get_queryset(self):
        return selectors.claims_of(member=self.request.member)


class SubmitIn(serializers.Serializer):
    """Described for the schema; the page's SubmitForm reads the upload itself."""

    text = serializers.CharField(required=False, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False)


class ClaimSubmit(APIView):
    """Evidence for my claim (multipart: text, files): the page's form and service."""

    permission_classes = MEMBER
    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "api-write"

    @extend_schema(request={"multipart/form-data": SubmitIn}, responses={200: ClaimOut},
                   summary="Submit evidence for my claim")
    def post(self, request, claim_id: int):
        claim = get_object_or_404(selectors.claims_of(member=request.member), pk=claim_id)
        form = SubmitForm(request.data, request.FILES)
        if not form.is_valid():
            raise ValidationError({
                name: [e["message"] for e in errors]
                for name, errors in form.errors.get_json_data().items()})
        claim = services.claim_submit(claim=claim, member=request.member,
                                      text=form.cleaned_data["text"],
                                      files=form.cleaned_data["files"])  # refusals: api.errors
        return Response(ClaimOut(claim).data)


class ReviewOut(ClaimOut):
    member = serializers.CharField(source="member.user.full_name")


class ReviewIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "return"])
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReviewList(generics.ListAPIView):
    """Claims waiting for review in the units I manage (secretaries and the admin only)."""

    permission_classes = MANAGER
    serializer_class = ReviewOut

    def get_queryset(self):
        return selectors.to_review(unit_ids=self.request.managed).order_by("submitted_at")


class Review(APIView):
    permission_classes = MANAGER
    throttle_scope = "api-write"

    @extend_schema(request=ReviewIn, responses={200: ReviewOut}, summary="Accept or return")
    def post(self, request, claim_id: int):
        claim = get_object_or_404(Claim, pk=claim_id)
        data = ReviewIn(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_review(claim=claim, reviewer=request.user,  # its access rule
                                      accept=data.validated_data["decision"] == "accept",
                                      note=data.validated_data["note"])
        return Response(ReviewOut(claim).data)


class TaskStateOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class TaskClose(APIView):
    """End a task early (the publishing unit's secretary or the admin: its access rule)."""

    permission_classes = MANAGER
    throttle_scope = "api-write"

    @extend_schema(request=None, responses={200: TaskStateOut}, summary="Close a task")
    def post(self, request, task_id: int):
        task = get_object_or_404(Task, pk=task_id)
        task = services.task_close(task=task, by=request.user)  # refusals: api.errors
        return Response(TaskStateOut(task).data)
