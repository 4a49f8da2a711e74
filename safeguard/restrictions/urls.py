app_name = "restrictions"
urlpatterns: list = []
