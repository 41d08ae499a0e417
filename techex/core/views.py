from django.shortcuts import render


def _error(request, template: str, status: int):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
    return _error(request, "500.html", 500)
