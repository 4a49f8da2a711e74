from django.http import HttpResponse

from safeguard.audit.views import policy


@policy("front door managers, heads of service and the director: counts only")
def dashboard(request):
    return HttpResponse("Being built.", status=501)
