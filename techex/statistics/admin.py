from django.contrib import admin

from .models import StatisticsReport


@admin.register(StatisticsReport)
class StatisticsReportAdmin(admin.ModelAdmin):
    """Read-only: a report is asked for on the staff page (audited) and made by the background task."""

    list_display = ("pk", "period_kind", "period_start", "department", "format", "status", "progress", "created_at")
    list_filter = ("status", "format", "period_kind")
    readonly_fields = [f.name for f in StatisticsReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
