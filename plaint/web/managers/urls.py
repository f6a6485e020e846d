"""URLs of this area, under ``/manage/<org>/``. Included by `plaint/web/urls.py` into the `web`
namespace, so names are `web:<name>`; every page here must also be listed in
`plaint/web/tests/pages_managers.py`."""

from django.urls import path

from plaint.web.managers import config_views, log_views, views

urlpatterns: list = [
    path("<slug:org>/", views.dashboard, name="manage-dashboard"),
    path("<slug:org>/organisation/", config_views.organisation, name="manage-organisation"),
    path("<slug:org>/teams/", views.teams, name="manage-teams"),
    path("<slug:org>/teams/<int:team>/", views.team, name="manage-team"),
    path("<slug:org>/staff/", views.staff_list, name="manage-staff"),
    path("<slug:org>/staff/<int:member>/", views.member, name="manage-member"),
    path("<slug:org>/staff/<int:member>/invitation/", views.member_invite, name="manage-member-invite"),
    path("<slug:org>/hours/", config_views.hours, name="manage-hours"),
    path("<slug:org>/hours/closing-days/", config_views.closing_days, name="manage-closing-days"),
    path(
        "<slug:org>/hours/closing-days/<int:day>/delete/",
        config_views.closing_day_delete,
        name="manage-closing-day-delete",
    ),
    path("<slug:org>/categories/", views.categories, name="manage-categories"),
    path("<slug:org>/categories/<int:category>/", views.category, name="manage-category"),
    path("<slug:org>/policy/", config_views.policy, name="manage-policy"),
    path("<slug:org>/policy/<slug:code>/", config_views.policy_rule, name="manage-policy-rule"),
    path("<slug:org>/mailboxes/", config_views.mailboxes, name="manage-mailboxes"),
    path("<slug:org>/mailboxes/<int:mailbox>/", config_views.mailbox, name="manage-mailbox"),
    path("<slug:org>/log/", log_views.admin_log, name="manage-log"),
]
