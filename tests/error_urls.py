"""The site's URLs plus one page that crashes, to see the 500 page the default run serves."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def crash(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("crash-for-test/", crash), *site_urlpatterns]

handler404 = "techex.core.views.page_not_found"
handler500 = "techex.core.views.server_error"
