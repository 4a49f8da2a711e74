from django.urls import path

from safeguard.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.csv", views.register_csv, name="register_csv"),
    path("export.xlsx", views.register_xlsx, name="register_xlsx"),
]
