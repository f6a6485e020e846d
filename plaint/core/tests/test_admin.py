"""Django's admin is the platform admin's: superusers only."""

from plaint.parties.models import AdminEvent, User
from plaint.parties.services import api_token_create
from plaint.testing.actors import MANAGER, ORG_ADMIN, PLATFORM_ADMIN


def test_the_platform_admin_enters_the_admin(cast):
    response = cast.client(PLATFORM_ADMIN).get("/admin/")
    assert response.status_code == 200


def test_organisation_staff_do_not_enter_the_admin(cast):
    for who in (ORG_ADMIN, MANAGER):
        response = cast.client(who).get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_the_django_staff_flag_alone_does_not_open_the_admin(cast, client):
    # given a user with is_staff but not superuser
    user = User.objects.create_user("staffish@example.test", "pw", full_name="S", is_staff=True)
    client.force_login(user)
    # when / then
    assert client.get("/admin/").status_code == 302


def test_complaints_are_read_only_in_the_admin(cast):
    client = cast.client(PLATFORM_ADMIN)
    assert client.get("/admin/complaints/complaint/").status_code == 200
    assert client.get("/admin/complaints/complaint/add/").status_code == 403


def test_the_set_up_log_is_read_only_in_the_admin(cast):
    # given a line of organisation 1's set-up log
    token, _ = api_token_create(organisation=cast.org1, name="Reports")
    line = AdminEvent.objects.get(subject_id=token.pk, kind="token_created")
    client = cast.client(PLATFORM_ADMIN)
    # then the platform admin lists it, but may neither add, change nor delete
    assert client.get("/admin/parties/adminevent/").status_code == 200
    assert client.get("/admin/parties/adminevent/add/").status_code == 403
    assert client.post(f"/admin/parties/adminevent/{line.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AdminEvent.objects.filter(pk=line.pk).exists()
