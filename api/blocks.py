"""5S 区块链 over the API: the company's blocks and counts, a block with its chain and
verification, making one, changing its pairing, transferring it (toolkit.blocks, the same
services and access rules as the pages). The public QR page stays a page: no API call is
anonymous."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import COMPANY_USER
from toolkit.blocks import selectors, services
from toolkit.blocks.models import Block, EntryKind
from toolkit.org.models import Member


class PairedSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    department = serializers.CharField(max_length=50, allow_blank=True, required=False,
                                       default="")


class BlockOut(serializers.ModelSerializer):
    responsible_id = serializers.IntegerField()
    responsible = serializers.CharField(source="responsible.user.full_name")
    unit_id = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField(source="unit.name", default="")
    paired = PairedSerializer(many=True)

    class Meta:
        model = Block
        fields = ["id", "token", "name", "scope", "responsible_id", "responsible", "unit_id",
                  "unit", "paired", "entries", "created_at", "changed_at"]


class BlockEntryOut(serializers.Serializer):
    seq = serializers.IntegerField(source="entry.seq")
    kind = serializers.ChoiceField(choices=EntryKind.choices, source="entry.kind")
    created_at = serializers.DateTimeField(source="entry.created_at")
    by_id = serializers.IntegerField(source="entry.by_id", allow_null=True)
    prev_hash = serializers.CharField(source="entry.prev_hash")
    hash = serializers.CharField(source="entry.hash")
    data = serializers.DictField()


class VerificationOut(serializers.Serializer):
    intact = serializers.BooleanField()
    entries = serializers.IntegerField(source="check.entries")
    broken_seq = serializers.IntegerField(source="check.broken_seq", allow_null=True)
    reason = serializers.CharField(source="check.reason")
    matches = serializers.BooleanField()


class BlockDetailOut(serializers.Serializer):
    block = BlockOut()
    verification = VerificationOut()
    history = BlockEntryOut(many=True)


class BlockIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.CharField(max_length=200)
    responsible_id = serializers.IntegerField()
    paired = PairedSerializer(many=True)


class PairingIn(serializers.Serializer):
    paired = PairedSerializer(many=True)


class TransferIn(serializers.Serializer):
    to_id = serializers.IntegerField()


def _detail(block: Block) -> dict:
    block = selectors.blocks().get(pk=block.pk)
    return BlockDetailOut({"block": block, "verification": selectors.block_verify(block=block),
                           "history": selectors.block_history(block=block)}).data


class Blocks(generics.ListAPIView):
    """Every block of the company (anyone in it may read and verify them)."""

    permission_classes = COMPANY_USER
    serializer_class = BlockOut

    def get_queryset(self):
        return selectors.blocks()

    @extend_schema(request=BlockIn, responses={201: BlockDetailOut}, summary="Make a block")
    def post(self, request):
        data = BlockIn(data=request.data)
        data.is_valid(raise_exception=True)
        responsible = get_object_or_404(Member, pk=data.validated_data["responsible_id"])
        block = services.block_create(by=request.user, responsible=responsible,
                                      name=data.validated_data["name"],
                                      scope=data.validated_data["scope"],
                                      paired=data.validated_data["paired"])
        return Response(_detail(block), status=status.HTTP_201_CREATED)


class BlockDetail(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=BlockDetailOut, summary="A block, its chain and its verification")
    def get(self, request, block_id: int):
        return Response(_detail(get_object_or_404(Block, pk=block_id)))


class BlockPairing(APIView):
    permission_classes = COMPANY_USER
    throttle_scope = "api-write"

    @extend_schema(request=PairingIn, responses=BlockDetailOut,
                   summary="Change a block's paired employees")
    def post(self, request, block_id: int):
        block = get_object_or_404(Block, pk=block_id)
        data = PairingIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.block_pairing_change(block=block, by=request.user,
                                      paired=data.validated_data["paired"])
        return Response(_detail(block))


class BlockTransfer(APIView):
    permission_classes = COMPANY_USER
    throttle_scope = "api-write"

    @extend_schema(request=TransferIn, responses=BlockDetailOut,
                   summary="Hand a block to another member")
    def post(self, request, block_id: int):
        block = get_object_or_404(Block, pk=block_id)
        data = TransferIn(data=request.data)
        data.is_valid(raise_exception=True)
        to = get_object_or_404(Member, pk=data.validated_data["to_id"])
        services.block_transfer(block=block, by=request.user, to=to)
        return Response(_detail(block))


class UnitCountOut(serializers.Serializer):
    unit_id = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()
    blocks = serializers.IntegerField()
    paired = serializers.IntegerField()


class CountsOut(serializers.Serializer):
    blocks = serializers.IntegerField()
    paired = serializers.IntegerField()
    by_unit = UnitCountOut(many=True)
    intact = serializers.BooleanField()
    entries = serializers.IntegerField()


class Counts(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=CountsOut,
                   summary="Blocks and paired employees per unit; every chain verified")
    def get(self, request):
        verification = selectors.chains_verify()
        return Response(CountsOut({**selectors.block_counts(), "intact": verification.intact,
                                   "entries": verification.entries}).data)
