from django.http import HttpResponse

from safeguard.audit.views import policy


@policy("front door staff, their managers, heads of service and the director: contacts awaiting decision")
def queue(request):
    return HttpResponse("The front door queue is being built.", status=501)
