from django.urls import path

from dhakira_web.archive.review import views

urlpatterns = [
    path("incident-reports/<int:pk>/review", views.review_link, name="review-link"),
    path("records/<str:code>/review-state", views.set_review_state, name="review-state"),
    path("claims/<int:pk>/review", views.review_claim, name="review-claim"),
    path("records/<str:code>/grade", views.grade_record, name="grade-record"),
    path("incidents/<int:pk>/grade", views.grade_incident, name="grade-incident"),
]
