from django.urls import path

from safeguard.frontdoor.views import contacts, dashboard, education, imports, queue

app_name = "frontdoor"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("contacts/new/", contacts.start, name="start"),
    path("contacts/new/child/", contacts.new_child, name="new_child"),
    path("contacts/new/<opaque:child_id>/", contacts.new_contact, name="new_contact"),
    path("contacts/<opaque:contact_id>/", contacts.contact, name="contact"),
    path("contacts/<opaque:contact_id>/acknowledge/", contacts.acknowledge, name="acknowledge"),
    path("contacts/<opaque:contact_id>/checks/", contacts.request_check, name="request_check"),
    path("checks/<int:check_id>/response/", contacts.record_response, name="record_response"),
    path("contacts/<opaque:contact_id>/decision/", contacts.decide, name="decide"),
    path("import/", imports.upload, name="import"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("children/<opaque:child_id>/education/", education.education, name="education"),
    path("children/<opaque:child_id>/education/record/", education.education_record, name="education_record"),
    path(
        "children/<opaque:child_id>/education/withdrawals/<int:withdrawal_id>/considered/",
        education.withdrawal_considered,
        name="withdrawal_considered",
    ),
]
