from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, register_converter

from safeguard.core.opaque import OpaqueIdConverter

# The admin has no sign-in of its own: it sends people to Safeguard's, with its second factor and lockout.
admin.site.login = secure_admin_login(admin.site.login)
# Children and contacts appear in addresses by an opaque token, not their database id (safeguard/core/opaque.py).
register_converter(OpaqueIdConverter, "opaque")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("safeguard.ui.urls")),
    path("children/", include("safeguard.people.urls")),
    path("children/", include("safeguard.casework.urls")),
    path("children/", include("safeguard.lookedafter.urls")),
    path("children/", include("safeguard.casenotes.urls")),
    path("casework/", include("safeguard.casework.work_urls")),
    path("front-door/", include("safeguard.frontdoor.urls")),
    path("allocation/", include("safeguard.allocation.urls")),
    path("oversight/", include("safeguard.oversight.urls")),
    path("legal-exposure/", include("safeguard.compliance.urls")),
    path("workforce/", include("safeguard.workforce.urls")),
    path("leadership/", include("safeguard.leadership.urls")),
    path("returns/", include("safeguard.returns.urls")),
    path("access-log/", include("safeguard.audit.urls")),
    path("restricted-records/", include("safeguard.restrictions.urls")),
    path("retention/", include("safeguard.retention.urls")),
    path("subject-access/", include("safeguard.sar.urls")),
    path("shared/", include("safeguard.sharing.urls")),
    path("serious-incidents/", include("safeguard.incidents.urls")),
    path("learning-actions/", include("safeguard.learning.urls")),
]

handler403 = "safeguard.ui.views.refused"
handler404 = "safeguard.ui.views.not_found"
handler500 = "safeguard.ui.views.server_error"
