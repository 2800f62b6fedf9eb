from django.contrib.auth.views import LogoutView
from django.urls import include, path

from dhakira_web.archive import views
from dhakira_web.archive.api import api
from dhakira_web.archive.protection import views as protection_views
from dhakira_web.archive.review import urls as review_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search_page, name="search"),
    path("records/<str:code>", views.record_page, name="record"),
    path("records/<str:code>/original", views.record_original, name="record-original"),
    path("incidents/<int:pk>", views.incident_page, name="incident"),
    path("chronicle", views.chronicle_page, name="chronicle"),
    path("map", views.map_page, name="map"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dhakira_web.archive.exchange.urls")),
    path("api/", api.urls),
    path("records/<str:code>/access", protection_views.access_view, name="record-access"),
    path("records/<str:code>/redact", protection_views.redact_view, name="record-redact"),
    *review_urls.urlpatterns,
    path("", include("dhakira_web.archive.entities.urls")),
]
