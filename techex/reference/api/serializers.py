"""Reference rows as the API shows them: both languages, so a client picks its own."""

from rest_framework import serializers

from ..models import TRL, IPCClass, Province, STField, VSICCode, Ward


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "name_en", "full_name", "unit_type", "is_mekong"]
        read_only_fields = fields


class WardSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", read_only=True)

    class Meta:
        model = Ward
        fields = ["code", "province", "name", "name_en", "full_name", "unit_type"]
        read_only_fields = fields


class STFieldSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.parent

    class Meta:
        model = STField
        fields = ["code", "parent", "level", "name", "name_en", "oecd_code"]
        read_only_fields = fields


class TRLSerializer(serializers.ModelSerializer):
    class Meta:
        model = TRL
        fields = ["level", "name", "name_en", "description_en"]
        read_only_fields = fields


class IPCClassSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.parent

    class Meta:
        model = IPCClass
        fields = ["code", "parent", "level", "title"]
        read_only_fields = fields


class VSICCodeSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.parent

    class Meta:
        model = VSICCode
        fields = ["code", "parent", "level", "name", "name_en"]
        read_only_fields = fields


# --- query parameters --------------------------------------------------------------------------------------------


class WardQuerySerializer(serializers.Serializer):
    province = serializers.CharField(required=False, max_length=4, help_text="A province code.")


class STFieldQuerySerializer(serializers.Serializer):
    level = serializers.IntegerField(required=False, min_value=1, max_value=3)
    parent = serializers.CharField(required=False, max_length=8, help_text="The parent field's code.")  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.parent


class IPCQuerySerializer(serializers.Serializer):
    level = serializers.ChoiceField(["section", "class", "subclass"], required=False)
    parent = serializers.CharField(required=False, max_length=8, help_text="The parent class's code.")  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.parent


class VSICQuerySerializer(serializers.Serializer):
    level = serializers.IntegerField(required=False, min_value=1, max_value=2)
    parent = serializers.CharField(required=False, max_length=4, help_text="The parent section's code.")  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.parent
