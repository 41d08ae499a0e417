from django.contrib import admin

from techex.core.services import audit_record

from .models import Department, DepartmentStaff


class DepartmentStaffInline(admin.TabularInline):
    model = DepartmentStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "province", "is_lead", "is_active")
    list_filter = ("is_lead", "is_active")
    search_fields = ("name", "name_en", "code")
    prepopulated_fields = {"code": ("name_en",)}
    inlines = [DepartmentStaffInline]

    def get_readonly_fields(self, request, obj=None):
        # The lead is the operator's department (settings), chosen by ensure_lead_department(), not by a click.
        return ("is_lead",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="department.update" if change else "department.create",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


@admin.register(DepartmentStaff)
class DepartmentStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "role", "created_at")
    list_filter = ("department", "role")
    search_fields = ("user__email", "user__full_name", "department__name")
    autocomplete_fields = ["user"]
    list_select_related = ("user", "department")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="department.staff_set",
            target=obj,
            data={"department": obj.department_id, "role": obj.role},
        )
