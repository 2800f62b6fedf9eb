"""URL configuration of the Dhakira archive."""

from dhakira_web.archive.urls import urlpatterns

__all__ = ["urlpatterns"]
