from django.urls import path

from safeguard.casework.views import casefile

app_name = "casework"
urlpatterns = [
    path("<int:child_id>/case-file/", casefile.case_file, name="case_file"),
    path("<int:child_id>/chronology/", casefile.chronology, name="chronology"),
]
