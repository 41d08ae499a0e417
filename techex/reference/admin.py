"""Administrators' view of the reference classifications (normally loaded with ``load_reference_data``)."""

from django.contrib import admin

from .models import TRL, IPCClass, Province, STField, VSICCode, Ward


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "unit_type", "is_mekong")
    list_filter = ("is_mekong", "unit_type")
    search_fields = ("code", "name", "name_en")
    ordering = ("code",)


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ("code", "full_name", "name_en", "province", "unit_type")
    list_filter = ("province", "unit_type")
    list_select_related = ("province",)
    search_fields = ("code", "name", "full_name", "name_en")
    ordering = ("province", "name")


@admin.register(STField)
class STFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "level", "oecd_code")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")
    raw_id_fields = ("parent",)


@admin.register(TRL)
class TRLAdmin(admin.ModelAdmin):
    list_display = ("level", "name", "name_en")


@admin.register(IPCClass)
class IPCClassAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "title")
    list_filter = ("level",)
    search_fields = ("code", "title")
    raw_id_fields = ("parent",)


@admin.register(VSICCode)
class VSICCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "level")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")
    raw_id_fields = ("parent",)
