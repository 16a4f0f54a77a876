"""The handbook's 5S signage part (toolkit.blocks): every block with its scope, responsible
member, paired employees (names masked, as on the public page) and the QR code its signage
carries, and the counts per branch."""

import segno
from django.utils.translation import gettext as _

from toolkit.blocks.selectors import block_counts, blocks, paired_masked
from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section


def blocks_sections(*, site: str) -> list[Section]:
    rows = []
    for block in blocks():
        url = f"{site.rstrip('/')}/blocks/q/{block.token}/"
        rows.append({"name": block.name, "scope": block.scope, "unit": block.unit.name
                     if block.unit else "", "responsible": block.responsible.user.full_name,
                     "paired": paired_masked(paired=block.paired),
                     "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=1,
                                                                    xmldecl=False)})
    return [Section(key="blocks", title=_("5S 区块标识"), html=page_html(
        "blocks/handbook.html", {"blocks": rows, "counts": block_counts()}))]
