"""A looked-after child's and a care leaver's pages, under /children/<child_id>/ (mounted in config/urls.py)."""

from django.urls import path

from safeguard.lookedafter import views

app_name = "lookedafter"
LAC = "<opaque:child_id>/looked-after/"
LEAVING = "<opaque:child_id>/leaving-care/"
urlpatterns = [
    # Looked after
    path(LAC, views.looked_after, name="looked_after"),
    path(f"{LAC}start/", views.period_start, name="period_start"),
    path(f"{LAC}placement/change/", views.placement_change, name="placement_change"),
    path(f"{LAC}placement/details/", views.placement_details, name="placement_details"),
    path(f"{LAC}legal-status/", views.legal_status_change, name="legal_status_change"),
    path(f"{LAC}end/", views.period_end, name="period_end"),
    path(f"{LAC}care-plan/", views.care_plan, name="care_plan"),
    path(f"{LAC}placement-plan/", views.placement_plan, name="placement_plan"),
    path(f"{LAC}reviews/new/", views.review, name="review"),
    path(f"{LAC}health/new/", views.health, name="health"),
    path(f"{LAC}education/new/", views.pep, name="pep"),
    path(f"{LAC}missing/new/", views.missing_new, name="missing_new"),
    path(f"{LAC}missing/<int:missing_id>/return/", views.missing_return, name="missing_return"),
    path(f"{LAC}missing/<int:missing_id>/interview/", views.return_interview, name="return_interview"),
    path(f"{LAC}outcomes/<int:year_end>/", views.outcomes, name="outcomes"),
    path(f"{LAC}uasc/new/", views.uasc_new, name="uasc_new"),
    path(f"{LAC}uasc/<int:uasc_id>/", views.uasc_change, name="uasc_change"),
    path(f"{LAC}deprivation-of-liberty/new/", views.dolo_new, name="dolo_new"),
    path(f"{LAC}deprivation-of-liberty/<int:dolo_id>/", views.dolo_change, name="dolo_change"),
    path(f"{LAC}previous-permanence/", views.previous_permanence, name="previous_permanence"),
    path(f"{LAC}adoption/new/", views.adoption_new, name="adoption_new"),
    path(f"{LAC}adoption/<int:adoption_id>/", views.adoption_change, name="adoption_change"),
    # Leaving care
    path(LEAVING, views.leaving_care, name="leaving_care"),
    path(f"{LEAVING}start/", views.care_leaver_start, name="care_leaver_start"),
    path(f"{LEAVING}update/", views.care_leaver_update, name="care_leaver_update"),
    path(f"{LEAVING}end/", views.care_leaver_end, name="care_leaver_end"),
    path(f"{LEAVING}needs-assessment/", views.needs_assessment, name="needs_assessment"),
    path(f"{LEAVING}pathway-plan/", views.pathway_plan, name="pathway_plan"),
    path(f"{LEAVING}pathway-plan/review/", views.pathway_review, name="pathway_review"),
    path(f"{LEAVING}contacts/new/", views.care_leaver_contact, name="care_leaver_contact"),
    path(f"{LEAVING}accommodation/new/", views.accommodation, name="accommodation"),
    path(f"{LEAVING}activity/new/", views.activity, name="activity"),
]
