from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    STAFF = "staff", _("staff")
    ADMIN = "admin", _("department administrator")
