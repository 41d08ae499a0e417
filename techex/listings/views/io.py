"""Listing views: io."""

from django.http import Http404


def export_public(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def import_upload(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def import_status(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404
