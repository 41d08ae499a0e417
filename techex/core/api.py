"""What every API view shares: authentication order, JSON only, one error format, strict input fields.

Errors have two shapes, both documented in the schema: a 400 carries messages by field (``non_field_errors`` for
the request as a whole), every other error carries one ``detail`` message. Services raise Django's
``ValidationError`` and ``PermissionDenied``; the handler here turns them into those shapes, so a view never needs
a try/except around a service call.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # django-stubs-ext is a development requirement
    from rest_framework.generics import BaseFilterProtocol  # exists in the stubs only
    from rest_framework.views import APIView

    _ApiViewBase = APIView  # the mixin is only ever mixed into an APIView: let mypy see its attributes
else:
    _ApiViewBase = object
from .models import REFERENCE_CODE_MAX_LENGTH
from .permissions import STAFF_ONLY, is_staff

MAX_BIGINT = 2**63 - 1  # the largest integer SQLite and PostgreSQL store; a larger one would overflow, not fail

# --- errors ------------------------------------------------------------------------------------------------------


def _printable(value: Any) -> str:
    # A message may quote the input ("“x” is not a valid choice."); a lone surrogate in it (valid in JSON text,
    # not in UTF-8) would make the renderer fail, so it is replaced.
    return str(value).encode("utf-8", "replace").decode("utf-8")


def _messages(value: Any) -> list[str]:
    """Flatten DRF's nested error structures (lists of lists, {index: [...]} for list items) into messages."""
    if isinstance(value, Mapping):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [_printable(value)]


def field_errors(data: Any) -> dict[str, list[str]]:
    """Bring any 400 body to ``{field: [message, ...]}``."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if not isinstance(data, Mapping):
        return {non_field: _messages(data)}
    result: dict[str, list[str]] = {}
    for key, value in data.items():
        # A parse error ("JSON parse error ...") comes as {"detail": ...}: it concerns the request as a whole.
        name = non_field if key in {"detail", NON_FIELD_ERRORS} else _printable(key)
        for message in _messages(value):
            if message not in result.setdefault(name, []):
                result[name].append(message)
    return result


def _from_django(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})


def _body_too_large() -> exceptions.APIException:
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    error = exceptions.APIException(_("The request body is too large; the limit is %(limit)s.") % {"limit": limit})
    error.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    return error


def api_exception_handler(exc: Exception, context: dict) -> Any:
    """Answer Django's ValidationError as a 400 by field, a body beyond DATA_UPLOAD_MAX_MEMORY_SIZE as a 413 (not
    Django's HTML 400 page), then let DRF handle the rest in its usual way."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, RequestDataTooBig):
        exc = _body_too_large()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(_("The request has too many fields or files."))
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 400:
        response.data = field_errors(response.data)
    return response


class ErrorSerializer(serializers.Serializer):
    """One message saying what went wrong."""

    detail = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    """Messages by field name; ``non_field_errors`` holds those about the request as a whole."""


class FieldErrorsExtension(OpenApiSerializerExtension):
    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Messages by field name; `non_field_errors` holds those about the request as a whole.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"summary": ["Keep this under 500 characters (it has 5,000)."]},
        }


_ERROR_DESCRIPTIONS = {
    400: "The input is not valid: messages by field.",
    401: "Not signed in, or the token is not valid.",
    403: "Signed in but not allowed to do this (or, with a session, the CSRF check failed).",
    404: "No such object, or not one you may see (the same answer for both); for a list, a page past the end.",
    413: "The body is larger than the server accepts (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default).",
    415: "The body is not JSON: send it as application/json.",
    429: "Too many requests; the Retry-After header says how many seconds to wait.",
}


def error_responses(*codes: int, authenticates: bool = True) -> dict[int, OpenApiResponse]:
    """Document the error answers of an operation.

    429 is always possible (throttling), and 401 wherever credentials are read: a bad token is refused even on an
    operation open to everyone; 413 wherever a body is read (those that document 415).
    """
    result = {}
    for code in sorted({*codes, 429} | ({401} if authenticates else set()) | ({413} if 415 in codes else set())):
        body = FieldErrorsSerializer if code == 400 else ErrorSerializer
        result[code] = OpenApiResponse(response=body, description=_ERROR_DESCRIPTIONS[code])
    return result


# --- input ------------------------------------------------------------------------------------------------------


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering a 400 for JSON nested too deeply for Python's decoder (``[[[[…`` in 200 kB)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None


# --- the schema -------------------------------------------------------------------------------------------------

# An empty value, which a query string may carry for any parameter.
_EMPTY = {"type": "string", "maxLength": 0}
NO_NULL_CHARACTER = r"^[^\x00]*$"


def truthful_query_parameters(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """Make the schema say what the API does with query strings (a drf-spectacular postprocessing hook).

    DRF's serializers and django-filter read a query string as an HTML form: an optional parameter sent empty
    (``?type=``) is taken as not given, so its schema accepts the empty string too (a ``minLength`` is for required
    values only); a free text may hold anything but a null character. A paginated list answers 400 for a bad
    ``page_size`` (``ApiPagination``), so its 400 is documented wherever the view did not already document it.
    """
    bad_input = error_responses(400)[400]
    for path in result.get("paths", {}).values():
        for operation in path.values():
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                if parameter.get("in") != "query" or parameter.get("required"):
                    continue
                schema = parameter["schema"]
                if schema.get("type") == "string" and not {"enum", "pattern", "format"} & schema.keys():
                    schema.pop("minLength", None)
                    schema["pattern"] = NO_NULL_CHARACTER  # Django's forms and DRF refuse them
                else:
                    parameter["schema"] = {"anyOf": [schema, _EMPTY]}
            responses = operation.get("responses", {})
            if any(parameter.get("name") == "page_size" for parameter in parameters) and "400" not in responses:
                responses["400"] = {
                    "description": str(bad_input.description),
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldErrors"}}},
                }
                operation["responses"] = dict(sorted(responses.items()))
    return result


# --- the base of every API view ----------------------------------------------------------------------------------


PAGE_SIZE_PATTERN = re.compile(r"[0-9]+")


class ApiPagination(PageNumberPagination):
    """Pages of 20; ``page_size`` asks for another number (more than 100 gives 100), and anything but a whole
    number from 1 is a 400 naming it, as the schema says (DRF would quietly give the default instead)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        digits = raw.lstrip("0")
        if not PAGE_SIZE_PATTERN.fullmatch(raw) or not digits:
            raise exceptions.ValidationError({self.page_size_query_param: [_("Give a whole number from 1.")]})
        # More than a page holds gives a full page; a long number is not read whole (int() refuses 4,300 digits).
        too_long = len(digits) > len(str(self.max_page_size))
        return self.max_page_size if too_long else min(int(digits), self.max_page_size)

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Results per page, {self.page_size} unless given; more than {self.max_page_size} gives "
                    f"{self.max_page_size}."
                )
        return parameters


class ApiViewMixin(_ApiViewBase):
    """Settings every API view shares.

    The token comes first so that a request without credentials is answered 401 with a ``WWW-Authenticate``
    header (the session authenticator has no challenge to send, which would turn every 401 into a 403). Input is
    JSON only: form encoding cannot tell 7 from "7", and the API validates types strictly.
    """

    # Declared with APIView's and GenericAPIView's own types, so that a view may list the mixin first.
    # The settings' list (config/settings/base.py): the token first, then partner systems' API keys, the session last.
    authentication_classes: Sequence[type[BaseAuthentication]] = api_settings.DEFAULT_AUTHENTICATION_CLASSES  # type: ignore[assignment]  # DRF imports the settings' dotted paths
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
    renderer_classes: Sequence[type[BaseRenderer]] = [JSONRenderer]
    filter_backends: Sequence[type["BaseFilterBackend | BaseFilterProtocol[Any]"]] = []
    pagination_class: type[BasePagination] | None = ApiPagination

    def get_exception_handler(self):
        return api_exception_handler

    def get_serializer_context(self) -> dict:
        return {"request": self.request, "view": self}

    def parse_query(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """Validate the query string; a bad value is a 400 naming the parameter."""
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class IsStaff(BasePermission):
    """Only the exchange's staff."""

    message = STAFF_ONLY

    def has_permission(self, request, view) -> bool:
        return is_staff(request.user)


# --- addresses ---------------------------------------------------------------------------------------------------

# Only what a reference code is made of: anything else is answered 404 before it reaches the database (PostgreSQL
# refuses a NUL in a query outright).
REFERENCE_CODE_PATTERN = f"[A-Za-z0-9-]{{1,{REFERENCE_CODE_MAX_LENGTH}}}"


def reference_code_parameter(*, description: str) -> OpenApiParameter:
    """The ``reference_code`` path parameter of a listing's or a deal's address, described for the schema."""
    return OpenApiParameter(
        "reference_code",
        {"type": "string", "pattern": f"^{REFERENCE_CODE_PATTERN}$"},
        OpenApiParameter.PATH,
        description=description,
    )


class ReferenceCodeLookupMixin:
    """A viewset whose objects are addressed by their reference code."""

    lookup_field = "reference_code"
    lookup_value_regex = REFERENCE_CODE_PATTERN


# --- strict input fields -----------------------------------------------------------------------------------------
# DRF's own fields are lenient: CharField takes 7 as "7", IntegerField takes "7" and 7.0, BooleanField takes "yes".
# A JSON API can say exactly what it expects, so a client bug shows up as a 400 naming the field.


class StrictCharField(serializers.CharField):
    """Text that must be a JSON string."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def optional_text(**kwargs: Any) -> StrictCharField:
    """A text input that may be left out or blank.

    No max_length here: the services count characters after NFC normalisation, which NFD input (macOS, some
    Vietnamese keyboards) would fail before it.
    """
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return StrictCharField(**kwargs)


class StrictIntegerField(serializers.IntegerField):
    """A whole number that must be a JSON integer (not a string, a float or a boolean)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", MAX_BIGINT)
        kwargs.setdefault("min_value", -MAX_BIGINT)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false, nothing else."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


def is_lookup_safe(value: str, max_length: int = 16) -> bool:
    """Whether a code can go into a query: PostgreSQL refuses NUL and both databases refuse lone surrogates."""
    if not value or len(value) > max_length or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.Field):
    """A reference row (province, commune, field, VSIC code…) given by its code; answers the row."""

    default_error_messages = {
        "invalid": _("Give the code as text."),
        "does_not_exist": _("Unknown code “{value}”."),
    }

    def __init__(self, *, queryset: models.QuerySet, **kwargs: Any) -> None:
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> models.Model:
        if not isinstance(data, str):
            self.fail("invalid")
        found = self.queryset.filter(pk=data).first() if is_lookup_safe(data) else None
        if found is None:
            self.fail("does_not_exist", value=data[:40])
        return found

    def to_representation(self, value: models.Model) -> str:
        return value.pk


class CodeListField(serializers.ListField):
    """A list of codes of one reference table, resolved in one query and kept in the order given."""

    default_error_messages = {
        "does_not_exist": _("Unknown code: {value}."),
    }

    def __init__(self, *, queryset: models.QuerySet, **kwargs: Any) -> None:
        self.queryset = queryset
        kwargs.setdefault("child", StrictCharField(max_length=16))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[models.Model]:
        codes = list(dict.fromkeys(super().to_internal_value(data)))
        found = {row.pk: row for row in self.queryset.filter(pk__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            self.fail("does_not_exist", value=", ".join(missing))
        return [found[code] for code in codes]

    def to_representation(self, data: Iterable[models.Model]) -> list[str]:
        return [row.pk for row in data]


class WriteSerializer(serializers.Serializer):
    """An input serializer that refuses keys it does not know, rather than silently ignoring them.

    A client that sends ``status`` or a misspelt field name learns at once that nothing was done with it.
    """

    default_error_messages = {"unknown_field": _("This field is not accepted here.")}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unknown: dict[str, list[StrOrPromise]] = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            message = self.error_messages["unknown_field"]
            unknown = {str(key): [message] for key in data if key not in writable}
        try:
            value = super().to_internal_value(data)
        except exceptions.ValidationError as exc:
            if isinstance(exc.detail, dict):
                raise exceptions.ValidationError({**unknown, **exc.detail}) from exc
            raise
        if unknown:
            raise exceptions.ValidationError(unknown)
        return value
