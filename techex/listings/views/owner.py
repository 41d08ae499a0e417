"""Listing views: owner."""

from django.http import Http404


def my_listings(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def create_start(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def edit_step(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def preview(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def action(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def attachments(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404


def attachment_delete(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404
