from django.http import HttpResponse

from safeguard.audit.views import policy


@policy("front door staff: upload a batch of notifications")
def upload(request):
    return HttpResponse("Being built.", status=501)
