from django.urls import path

from plaint.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("providers/<slug:slug>/procedure/", views.procedure, name="procedure"),
    path("providers/<slug:slug>/complain/", views.complain, name="complain"),
    path("providers/<slug:slug>/complain/received/", views.complaint_filed, name="complaint-filed"),
    path("rights/", views.rights_index, name="rights-index"),
    path("rights/<str:country>/<slug:sector>/", views.rights, name="rights"),
]
