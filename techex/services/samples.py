"""Sample documents the service pages offer: templates written for the exchange, served as static files.

A category lists the keys of its samples (``ServiceCategory.sample_documents``); staff choose among these in the
admin. A new sample is a new file under ``static/services/samples/`` and one line here.
"""

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Sample(NamedTuple):
    title: Promise
    path: str  # a static path


SAMPLES: dict[str, Sample] = {
    "nda": Sample(_("Non-disclosure agreement (template)"), "services/samples/thoa-thuan-bao-mat.txt"),
    "licence-outline": Sample(
        _("Technology licence agreement: outline"), "services/samples/de-cuong-hop-dong-li-xang.txt"
    ),
    "valuation-outline": Sample(
        _("Technology valuation report: outline"), "services/samples/de-cuong-bao-cao-dinh-gia.txt"
    ),
    "consulting-brief": Sample(
        _("Technology consulting brief (template)"), "services/samples/phieu-yeu-cau-tu-van.txt"
    ),
    "ip-checklist": Sample(
        _("Industrial property filing checklist"), "services/samples/danh-muc-ho-so-so-huu-cong-nghiep.txt"
    ),
    "training-plan": Sample(_("In-house training plan (template)"), "services/samples/ke-hoach-dao-tao.txt"),
    "investment-teaser": Sample(
        _("Investment teaser for a technology project (template)"), "services/samples/ban-gioi-thieu-du-an.txt"
    ),
}
