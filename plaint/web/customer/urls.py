"""URLs of this area. Included by `plaint/web/urls.py` into the `web` namespace, so names are
`web:<name>`; every page here must also be listed in `plaint/web/tests/pages_customer.py`."""

from django.urls import path

from plaint.web.customer import erasure, views

urlpatterns = [
    path("", views.my_complaints, name="my-complaints"),
    path("follow/", views.follow, name="my-follow"),
    path("data/", views.my_data, name="my-data"),
    path("data/erase/", erasure.erase, name="my-data-erase"),
    path("data/erased/", erasure.erased, name="my-data-erased"),
    path("complaints/<str:reference>/", views.complaint_page, name="my-complaint"),
    path("complaints/<str:reference>/information/", views.add_information, name="my-add-information"),
    path("complaints/<str:reference>/calls/", views.log_call, name="my-log-call"),
    path("complaints/<str:reference>/supervisor/", views.request_supervisor, name="my-request-supervisor"),
    path("complaints/<str:reference>/cancellation/", views.request_cancellation,
         name="my-request-cancellation"),
    path("complaints/<str:reference>/decision/", views.respond_to_decision, name="my-respond-to-decision"),
    path("complaints/<str:reference>/rating/", views.rate_handling, name="my-rate-handling"),
    path("complaints/<str:reference>/withdrawal/", views.withdraw, name="my-withdraw"),
    path("complaints/<str:reference>/reopening/", views.reopen, name="my-reopen"),
    path("complaints/<str:reference>/referral/", views.refer, name="my-refer"),
    path("complaints/<str:reference>/referral/outcome/", views.record_external_outcome,
         name="my-record-external-outcome"),
    path("complaints/<str:reference>/evidence/<int:evidence_id>/", views.evidence_download,
         name="my-evidence"),
    path("feedback/<slug:slug>/", views.feedback, name="my-feedback"),
]
