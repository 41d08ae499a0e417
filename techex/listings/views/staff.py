"""Listing views: staff."""

from django.http import Http404


def review_queue(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def review(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404
