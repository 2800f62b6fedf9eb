"""URL configuration of the Dhakira archive."""

from dhakira_web.archive.urls import urlpatterns

handler404 = "dhakira_web.archive.views.not_found"

__all__ = ["handler404", "urlpatterns"]
