"""Take over the saved-search models from ``matching``, rows and all, without touching the database.

The tables stay as ``matching/0002_saved_searches`` created them (this migration depends on it, so a fresh database
gets them from there); only Django's state moves: here the models are created in ``alerts`` on the existing tables,
and ``matching/0003_saved_searches_moved_to_alerts`` deletes them from ``matching``'s state. The next migration gives
the tables ``alerts``' names.

The content types move with the models (``matching.savedsearch`` becomes ``alerts.savedsearch``), so the permissions
given to groups and users and the admin's history keep pointing at them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import techex.alerts.models

MODELS = ("savedsearch", "savedsearchhit")


def _move_content_types(apps, schema_editor, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if content_type.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # already there (created by a run of migrate in between): leave the other one stale
        content_type.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def content_types_to_alerts(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "matching", "alerts")


def content_types_to_matching(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "alerts", "matching")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("listings", "0002_import_job"),
        ("matching", "0002_saved_searches"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SavedSearch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        ("q", models.CharField(blank=True, max_length=200, verbose_name="words")),
                        ("filters", models.JSONField(blank=True, default=dict, verbose_name="filters")),
                        (
                            "token",
                            models.CharField(
                                default=techex.alerts.models.new_saved_search_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="alerts on")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="created at"
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("last_alerted_at", models.DateTimeField(blank=True, null=True, verbose_name="last alert at")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="saved_searches",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "saved search",
                        "verbose_name_plural": "saved searches",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "matching_savedsearch",
                        "indexes": [models.Index(fields=["is_active", "created_at"], name="saved_search_active")],
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "name"), name="saved_search_name_unique")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SavedSearchHit",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="alerted at"
                            ),
                        ),
                        (
                            "listing",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="listings.listing",
                                verbose_name="listing",
                            ),
                        ),
                        (
                            "saved_search",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="hits",
                                to="alerts.savedsearch",
                                verbose_name="saved search",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "saved search alert",
                        "verbose_name_plural": "saved search alerts",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "matching_savedsearchhit",
                        "indexes": [
                            models.Index(fields=["saved_search", "-created_at"], name="saved_search_hit_recent")
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("saved_search", "listing"), name="saved_search_hit_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_alerts, content_types_to_matching, elidable=False),
    ]
