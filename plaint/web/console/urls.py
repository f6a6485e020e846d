"""URLs of the agent console, under ``/console/<org>/``. Included by ``plaint/web/urls.py`` into the
``web`` namespace, so names are ``web:<name>``; every page here must also be listed in
``plaint/web/tests/pages_console.py``. A complaint's own page and its actions are in ``case/``."""

from django.urls import include, path

from plaint.web.console import calls, views

urlpatterns: list = [
    path("<slug:org>/", views.queue, name="console-queue"),
    path("<slug:org>/assign/", views.bulk_assign, name="console-bulk-assign"),
    path("<slug:org>/notifications/", views.notifications, name="console-notifications"),
    path("<slug:org>/notifications/read/", views.notifications_read, name="console-notifications-read"),
    path("<slug:org>/held/", views.held, name="console-held"),
    path("<slug:org>/held/<int:message_id>/raw/", views.held_raw, name="console-held-raw"),
    path("<slug:org>/calls/", calls.take_call, name="console-calls"),
    path("<slug:org>/calls/new/", calls.new_caller, name="console-call-new-customer"),
    path("<slug:org>/calls/customers/<int:customer_id>/new/", calls.new_complaint,
         name="console-call-new-complaint"),
    path("<slug:org>/calls/<str:reference>/log/", calls.log_call, name="console-call-log"),
    path("<slug:org>/complaints/<str:reference>/", include("plaint.web.console.case.urls")),
]
