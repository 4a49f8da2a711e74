from django.urls import path

from safeguard.casework.views import assessments, casefile, closure, deadlines, plans, protection, visits

app_name = "casework"
urlpatterns = [
    path("<opaque:child_id>/case-file/", casefile.case_file, name="case_file"),
    path("<opaque:child_id>/chronology/", casefile.chronology, name="chronology"),
    # Assessments
    path("<opaque:child_id>/assessments/start/", assessments.assessment_start, name="assessment_start"),
    path("<opaque:child_id>/assessments/<int:assessment_id>/", assessments.assessment, name="assessment"),
    path(
        "<opaque:child_id>/assessments/<int:assessment_id>/edit/",
        assessments.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "<opaque:child_id>/assessments/<int:assessment_id>/submit/",
        assessments.assessment_submit,
        name="assessment_submit",
    ),
    path(
        "<opaque:child_id>/assessments/<int:assessment_id>/authorise/",
        assessments.assessment_authorise,
        name="assessment_authorise",
    ),
    path(
        "<opaque:child_id>/assessments/<int:assessment_id>/return/",
        assessments.assessment_return,
        name="assessment_return",
    ),
    path(
        "<opaque:child_id>/assessments/<int:assessment_id>/withdraw/",
        assessments.assessment_withdraw,
        name="assessment_withdraw",
    ),
    # Deadlines
    path(
        "<opaque:child_id>/deadlines/<int:deadline_id>/delay/",
        deadlines.deadline_delay,
        name="deadline_delay",
    ),
    # Child in need plans
    path("<opaque:child_id>/cin-plans/start/", plans.cin_plan_start, name="cin_plan_start"),
    path("<opaque:child_id>/cin-plans/<int:plan_id>/review/", plans.cin_plan_review, name="cin_plan_review"),
    path("<opaque:child_id>/cin-plans/<int:plan_id>/end/", plans.cin_plan_end, name="cin_plan_end"),
    # Child protection
    path(
        "<opaque:child_id>/strategy-discussions/new/",
        protection.strategy_discussion,
        name="strategy_discussion",
    ),
    path("<opaque:child_id>/s47/<int:enquiry_id>/conclude/", protection.s47_conclude, name="s47_conclude"),
    path(
        "<opaque:child_id>/s47/<int:enquiry_id>/initial-conference/",
        protection.initial_conference,
        name="initial_conference",
    ),
    path(
        "<opaque:child_id>/cp-plans/<int:plan_id>/review-conference/",
        protection.review_conference,
        name="review_conference",
    ),
    path("<opaque:child_id>/cp-plans/<int:plan_id>/core-group/", protection.core_group, name="core_group"),
    path("<opaque:child_id>/cp-plans/<int:plan_id>/end/", protection.cp_plan_end, name="cp_plan_end"),
    # Visits
    path("<opaque:child_id>/visits/new/", visits.visit, name="visit"),
    # Closing the case: a request, a manager's decision; reopening
    path(
        "<opaque:child_id>/episodes/<int:episode_id>/close/", closure.closure_request, name="closure_request"
    ),
    path(
        "<opaque:child_id>/episodes/<int:episode_id>/reopen/", closure.episode_reopen, name="episode_reopen"
    ),
    path(
        "<opaque:child_id>/closure-requests/<int:request_id>/",
        closure.closure_request_detail,
        name="closure_request_detail",
    ),
    path(
        "<opaque:child_id>/closure-requests/<int:request_id>/review/",
        closure.closure_review,
        name="closure_review",
    ),
    path(
        "<opaque:child_id>/closure-requests/<int:request_id>/withdraw/",
        closure.closure_withdraw,
        name="closure_withdraw",
    ),
]
