"""Organisation pages (filled in by the pages work)."""

from django.http import Http404


def organization_list(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def organization_create(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def verification_queue(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def verification_decide(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def organization_detail(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def organization_edit(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def organization_members(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404
