"""Give the saved-search tables ``alerts``' names (they kept ``matching``'s in 0001).

Renaming a table keeps its rows, its indexes and constraints (named explicitly in ``models.py``) and the foreign
keys that point at it, on SQLite and PostgreSQL alike.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_saved_searches_from_matching"),
    ]

    operations = [
        migrations.AlterModelTable(name="savedsearch", table=None),
        migrations.AlterModelTable(name="savedsearchhit", table=None),
    ]
