from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    """No page of case data may be kept by a browser or proxy cache (ASVS 5.0 V14.3; a shared
    computer in a family centre must not show the last worker's pages). Static files are served by
    WhiteNoise before this runs, so they stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response
