from django.urls import path

from dhakira_web.archive.entities import views

urlpatterns = [
    path("places", views.place_list, name="places"),
    path("places/<int:pk>", views.place_page, name="place"),
    path("organisations", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>", views.organisation_page, name="organisation"),
    path("persons", views.person_list, name="persons"),
    path("persons/<int:pk>", views.person_page, name="person"),
    path("persons/<int:pk>/separate", views.separate_person, name="person-separate"),
    path("persons/<int:pk>/access", views.person_access, name="person-access"),
]
