"""Saved searches moved to ``techex.alerts``: forget their models here, keep their tables and rows.

Only Django's state changes (``alerts/0001_saved_searches_from_matching`` takes the tables over). No dependency on
``alerts``: matching sits below alerts and knows nothing of it; both orders give the same state and database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_saved_searches"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SavedSearchHit"),
                migrations.DeleteModel(name="SavedSearch"),
            ],
            database_operations=[],
        ),
    ]
