"""Listing views: public."""

from django.http import Http404


def browse(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def detail(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def attachment(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404
