from django.http import HttpResponse

from safeguard.audit.views import policy

NOT_YET = "Being built."


@policy("front door staff: find the child a contact is about")
def start(request):
    return HttpResponse(NOT_YET, status=501)


@policy("front door staff: record a child new to the service")
def new_child(request):
    return HttpResponse(NOT_YET, status=501)


@policy("front door staff: record a contact about a child")
def new_contact(request, child_id):
    return HttpResponse(NOT_YET, status=501)


@policy("front door staff of the contact's team, heads of service, the director")
def contact(request, contact_id):
    return HttpResponse(NOT_YET, status=501)


@policy("front door staff of the contact's team")
def acknowledge(request, contact_id):
    return HttpResponse(NOT_YET, status=501)


@policy("front door staff of the contact's team")
def request_check(request, contact_id):
    return HttpResponse(NOT_YET, status=501)


@policy("front door staff of the contact's team")
def record_response(request, check_id):
    return HttpResponse(NOT_YET, status=501)


@policy("front door managers and heads of service")
def decide(request, contact_id):
    return HttpResponse(NOT_YET, status=501)
