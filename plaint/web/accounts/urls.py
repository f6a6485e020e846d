"""URLs of this area. Included by `plaint/web/urls.py` into the `web` namespace, so names are
`web:<name>`; every page here must also be listed in `plaint/web/tests/pages_accounts.py`.

The language switcher's view (`accounts.views.set_language`) is mounted by `plaint/urls.py` at
Django's own `/i18n/setlang/` under Django's name `set_language`."""

from django.urls import path

from plaint.web.accounts import two_factor_views, views

urlpatterns = [
    path("", views.account, name="account"),
    path("notifications/", views.account_notifications, name="account-notifications"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-up/sent/", views.sign_up_sent, name="sign-up-sent"),
    path("confirm/<str:uidb64>/<str:token>/", views.sign_up_confirm, name="sign-up-confirm"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
    path("password/", views.password_change, name="password-change"),
    path("password/changed/", views.password_change_done, name="password-change-done"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("password/reset/sent/", views.password_reset_done, name="password-reset-done"),
    path("password/reset/<str:uidb64>/<str:token>/", views.password_reset_confirm,
         name="password-reset-confirm"),
    path("password/reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path("two-factor/", two_factor_views.two_factor, name="two-factor"),
    path("two-factor/set-up/", two_factor_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/set-up/qr.svg", two_factor_views.two_factor_qr, name="two-factor-qr"),
    path("two-factor/verify/", two_factor_views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/recovery-codes/", two_factor_views.two_factor_recovery_codes,
         name="two-factor-recovery-codes"),
    path("two-factor/off/", two_factor_views.two_factor_turn_off, name="two-factor-off"),
]
