from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """The exchange's figures: the staff dashboard, the Decision 1158 indicators and the public statistics.

    Reads only (selectors over every domain below it); it stands right under ``site`` (docs/architecture.md).
    """

    name = "techex.statistics"
    label = "statistics"
    verbose_name = _("Statistics")
