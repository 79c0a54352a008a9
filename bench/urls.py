"""TELEPATI's URLs plus /bench/bare/: reads the body and answers 200, nothing else.

It runs behind the same middleware as the webhook, so the webhook's rate divided by this
one's is the cost of the webhook's own work (signature check, INSERT, commit, task queue).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as telepati_urlpatterns


@csrf_exempt
@require_POST
def bare(request: HttpRequest) -> HttpResponse:
    request.read()
    return HttpResponse("OK", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *telepati_urlpatterns]
