"""Rates: a request made with an API key is limited by the key's own rate, not the anonymous one."""

from rest_framework.throttling import SimpleRateThrottle

from techex.core.client import AnonRateThrottle, ClientAddressMixin

from ..models import ApiKey


def _key(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


class ApiKeyRateThrottle(ClientAddressMixin, SimpleRateThrottle):
    """``rate_per_minute`` requests per minute for each key, counted in the shared cache."""

    scope = "api_key"

    def get_rate(self) -> str:
        return "1/minute"  # replaced by the key's own rate in allow_request

    def allow_request(self, request, view) -> bool:
        key = _key(request)
        if key is None:
            return True
        self.rate = f"{key.rate_per_minute}/minute"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        key = _key(request)
        return None if key is None else self.cache_format % {"scope": self.scope, "ident": key.pk}


class AnonymousRateThrottle(AnonRateThrottle):
    """The anonymous rate per real client address, for requests without a key (a key's requests have their own)."""

    def allow_request(self, request, view) -> bool:
        return _key(request) is not None or super().allow_request(request, view)
