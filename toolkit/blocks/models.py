"""5S 区块链: work-area blocks, each owned by a party member and paired with employees.

The truth is `BlockEntry`: every creation, change of pairing and transfer is appended, hash
chained to the block's entry before it, and never updated or deleted (a database trigger
refuses it). `Block` is a projection written in the same transaction, for lists and counts;
verification replays the chain and compares."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member, OrgUnit

GENESIS_HASH = "0" * 64
MIN_PAIRED = 3


def new_token() -> str:
    # 128 random bits: the QR code's address cannot be guessed or walked.
    return secrets.token_urlsafe(16)


class Block(models.Model):
    token = models.CharField(_("二维码令牌"), max_length=40, unique=True, default=new_token,
                             editable=False)
    name = models.CharField(_("区块名称"), max_length=100)
    scope = models.CharField(_("区域范围"), max_length=200)
    responsible = models.ForeignKey(Member, verbose_name=_("责任党员"), on_delete=models.PROTECT,
                                    related_name="blocks")
    # The responsible member's unit when the block was made or last transferred: the counts
    # per branch read it.
    unit = models.ForeignKey(OrgUnit, verbose_name=_("所在组织"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    # [{"name", "department"}], as the chain says
    paired = models.JSONField(_("结对员工"), default=list)
    entries = models.PositiveIntegerField(_("记录条数"), default=0)
    last_hash = models.CharField(_("最新哈希"), max_length=64, default=GENESIS_HASH)
    created_at = models.DateTimeField(_("创建时间"))
    changed_at = models.DateTimeField(_("最近变更时间"))

    class Meta:
        verbose_name = _("5S 区块")
        verbose_name_plural = _("5S 区块")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    CREATED = "created", _("创建")
    PAIRING = "pairing", _("调整结对")
    TRANSFER = "transfer", _("移交")


class BlockEntry(models.Model):
    """Never updated or deleted. `hash` covers the entry's fields and the previous hash."""

    block = models.ForeignKey(Block, verbose_name=_("所属区块"), on_delete=models.PROTECT,
                              related_name="chain")
    seq = models.PositiveIntegerField(_("序号"))  # 1, 2, 3… within the block
    kind = models.CharField(_("类型"), max_length=20, choices=EntryKind.choices)
    # Canonical JSON: the bytes hashed are the bytes stored
    payload = models.TextField(_("记录内容"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                           on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"))
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("区块链记录")
        verbose_name_plural = _("区块链记录")
        ordering = ["block_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["block", "seq"],
                                               name="blocks_entry_unique_seq")]

    def __str__(self) -> str:
        return f"{self.block_id}#{self.seq} {self.kind}"
