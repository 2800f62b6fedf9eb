from django.urls import path

from dhakira_web.archive.exchange import views

urlpatterns = [
    path("export", views.export_view, name="export"),
    path("api/export", views.export_view, name="api-export"),
]
