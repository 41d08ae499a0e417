"""The request type of a view that reads ``request.htmx`` (django-htmx's documented pattern for type checkers).

django-htmx's middleware sets ``request.htmx`` on every request; Django's ``HttpRequest`` does not declare it.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
