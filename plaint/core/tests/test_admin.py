"""Django's admin is the platform admin's: superusers only."""

from plaint.parties.models import User
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
