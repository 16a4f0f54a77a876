"""5S blocks' pages: the list, a block (history, verification, changes), signage, and the
public page its QR code opens (no sign-in; paired employees' names masked)."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Refused, refusal_to_form
from toolkit.blocks import selectors, services
from toolkit.blocks.forms import BlockForm, PairingForm, TransferForm, paired_text
from toolkit.blocks.models import Block
from toolkit.blocks.signage import signage_pdf
from toolkit.org.access import company_user_required
from toolkit.org.models import Member
from toolkit.org.selectors import by_name, managed_unit_ids, unit_managed_by


def _members_for(request):
    """Whom the user may make a block for: themselves, and the members of units they run."""
    managed = managed_unit_ids(user=request.user)
    qs = Member.objects.select_related("user", "unit").filter(user__is_active=True)
    own = request.member.pk if request.member else None
    return qs.filter(Q(pk=own) | Q(unit_id__in=managed)).order_by(
        "unit__order", "unit_id", by_name(), "id")


def public_url(request, block: Block) -> str:
    return request.build_absolute_uri(reverse("blocks:public", kwargs={"token": block.token}))


@company_user_required
def index(request):
    mine = selectors.blocks_of(member=request.member) if request.member else []
    return render(request, "blocks/index.html", {
        "blocks": selectors.blocks(), "mine": mine, "counts": selectors.block_counts(),
        "verification": selectors.chains_verify()})


@company_user_required
def new(request):
    members = _members_for(request)
    if not members.exists():
        raise Http404
    form = BlockForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            block = services.block_create(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("区块已创建并记入区块链。"))
            return redirect("blocks:detail", block_id=block.pk)
    return render(request, "blocks/new.html", {"form": form})


def _may_change(request, block: Block) -> bool:
    own = request.member is not None and request.member.pk == block.responsible_id
    return own or unit_managed_by(user=request.user, unit_id=block.unit_id)


@company_user_required
def detail(request, block_id):
    block = get_object_or_404(selectors.blocks(), pk=block_id)
    may_transfer = unit_managed_by(user=request.user, unit_id=block.unit_id)
    # "blk": a template's {% block %} sets `block` in the context.
    return render(request, "blocks/detail.html", {
        "blk": block, "history": selectors.block_history(block=block),
        "verification": selectors.block_verify(block=block), "public_url": public_url(
            request, block),
        "pairing_form": PairingForm(initial={"paired": paired_text(block.paired)})
        if _may_change(request, block) else None,
        "transfer_form": TransferForm(members=_members_for(request).exclude(
            pk=block.responsible_id)) if may_transfer else None})


@require_POST
@company_user_required
def pairing(request, block_id):
    block = get_object_or_404(Block, pk=block_id)
    form = PairingForm(request.POST)
    if form.is_valid():
        services.block_pairing_change(block=block, by=request.user,
                                      paired=form.cleaned_data["paired"])
        messages.success(request, _("结对职工已调整并记入区块链。"))
    else:
        messages.error(request, _("请填写结对职工。"))
    return redirect("blocks:detail", block_id=block.pk)


@require_POST
@company_user_required
def transfer(request, block_id):
    block = get_object_or_404(Block, pk=block_id)
    form = TransferForm(request.POST, members=_members_for(request))
    if form.is_valid():
        services.block_transfer(block=block, by=request.user, to=form.cleaned_data["to"])
        messages.success(request, _("区块已移交并记入区块链。"))
    else:
        messages.error(request, _("请选择移交对象。"))
    return redirect("blocks:detail", block_id=block.pk)


@company_user_required
def signage(request, block_id):
    block = get_object_or_404(selectors.blocks(), pk=block_id)
    size = request.GET.get("size", "a4")
    response = HttpResponse(signage_pdf(block=block, url=public_url(request, block), size=size),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="5s-block-{block.pk}-{size[:2]}.pdf"'
    return response


def public(request, token):
    """What the QR code on the signage opens, for anyone: the block as its chain says, and
    whether the chain verifies."""
    block = selectors.block_by_token(token=token)
    if block is None:
        raise Http404
    verification = selectors.block_verify(block=block)
    state = verification.check.state
    return render(request, "blocks/public.html", {
        "blk": block, "verification": verification, "state": state,
        "paired": selectors.paired_masked(paired=state.paired),
        "history": selectors.block_history(block=block)})
