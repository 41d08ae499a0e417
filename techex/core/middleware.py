from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Serve the operator's language unless the visitor chose another with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many phones in Vietnam are set to
    English; the exchange is Vietnamese first, so only an explicit choice (the cookie set by ``set_language``)
    changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        if chosen not in supported and request.path.startswith("/api/"):
            # An API client states its language with Accept-Language, as HTTP intends.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie", "Accept-Language"] if request.path.startswith("/api/") else ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` (feature -> allowed origins) on every answer.

    An empty list forbids the feature to the page and every frame (``camera=()``); ``"self"`` allows it to this site.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
