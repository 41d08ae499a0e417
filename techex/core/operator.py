"""The operator of this exchange: a configuration, not code."""

from django.conf import settings
from django.utils.translation import get_language


def operator() -> dict:
    """Return the operator's settings with the names in the active language."""
    config = dict(settings.TECHEX_OPERATOR)
    english = (get_language() or "vi").startswith("en")
    config["display_name"] = config["name_en"] if english else config["name"]
    config["display_department"] = config["department_en"] if english else config["department"]
    config["display_region"] = config["region_en"] if english else config["region"]
    return config
