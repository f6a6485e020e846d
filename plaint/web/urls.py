from django.urls import include, path

from plaint.web import views

app_name = "web"

# The public pages are here; each area has its own URL module in its package, included into the
# same namespace (``web:<name>``) so that templates need not know which area a page belongs to.
urlpatterns = [
    path("", views.home, name="home"),
    path("providers/<slug:slug>/procedure/", views.procedure, name="procedure"),
    path("providers/<slug:slug>/complain/", views.complain, name="complain"),
    path("providers/<slug:slug>/complain/received/", views.complaint_filed, name="complaint-filed"),
    path("rights/", views.rights_index, name="rights-index"),
    path("rights/<str:country>/<slug:sector>/", views.rights, name="rights"),
    path("account/", include("plaint.web.accounts.urls")),
    path("my/", include("plaint.web.customer.urls")),
    path("console/", include("plaint.web.console.urls")),
    path("manage/", include("plaint.web.managers.urls")),
]
