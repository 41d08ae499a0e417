"""Create the operator's department as the lead on a database whose provinces are already loaded.

On a fresh database the provinces come later (load_reference_data), and ensure_lead_department() runs then.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify


def create_lead(apps, schema_editor):
    Department = apps.get_model("departments", "Department")
    Province = apps.get_model("reference", "Province")
    if Department.objects.filter(is_lead=True).exists():
        return
    config = settings.TECHEX_OPERATOR
    province = Province.objects.filter(pk=config["home_province_code"]).first()
    if province is None:
        return
    now = timezone.now()
    Department.objects.create(
        code=slugify(province.name_en or province.code) or province.code,
        name=config["department"],
        name_en=config["department_en"],
        province=province,
        logo=config["logo"],
        email=config["email"],
        phone=config["phone"],
        address=config["address"],
        is_lead=True,
        is_active=True,
        created_at=now,
        updated_at=now,
    )


class Migration(migrations.Migration):
    dependencies = [("departments", "0001_initial")]

    operations = [migrations.RunPython(create_lead, migrations.RunPython.noop)]
