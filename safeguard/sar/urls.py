app_name = "sar"
urlpatterns: list = []
