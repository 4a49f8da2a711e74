from django import forms
from django.contrib import admin

from safeguard.audit.admin import AuditedAdmin
from safeguard.organisation.models import Role
from safeguard.sharing.models import PartnerAgency, PartnerUser

# Shares themselves are not in the admin: they name children, and are made and revoked by managers through
# the child's record, where the decision is checked and audited (ADR 0016).


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(AuditedAdmin):
    """The agencies the council shares with: set by the administrator (they name no child)."""

    list_display = ["name", "kind"]
    list_filter = ["kind"]
    exclude = ["created_by", "modified_by"]


class PartnerUserForm(forms.ModelForm):
    class Meta:
        model = PartnerUser
        fields = ["worker", "agency"]

    def clean_worker(self):
        worker = self.cleaned_data["worker"]
        if worker.role != Role.PARTNER_AGENCY:
            raise forms.ValidationError("Only a partner agency user can be linked to a partner agency")
        return worker


@admin.register(PartnerUser)
class PartnerUserAdmin(AuditedAdmin):
    """Which agency a partner sign-in works for. The sign-in itself is a Worker with the partner agency role."""

    form = PartnerUserForm
    list_display = ["worker", "agency"]
    list_filter = ["agency"]
    raw_id_fields = ["worker"]
