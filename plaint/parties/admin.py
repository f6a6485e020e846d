from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from plaint.core.admin import ReadOnlyAdmin
from plaint.parties.models import (
    AdminEvent,
    ApiToken,
    Category,
    Customer,
    CustomerAccountNumber,
    Membership,
    Organisation,
    Team,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name", "preferred_language")}),
        ("Platform", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ("is_superuser", "is_active")


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "sector", "is_managed")
    list_filter = ("country", "sector", "is_managed")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TeamInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "team", "position", "is_active")
    list_filter = ("organisation", "role")
    raw_id_fields = ("user",)


class AccountNumberInline(admin.TabularInline):
    model = CustomerAccountNumber
    extra = 0
    exclude = ("organisation",)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "email", "phone", "is_vulnerable")
    list_filter = ("organisation",)
    search_fields = ("full_name", "email", "phone")
    raw_id_fields = ("user",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are shown by prefix only; their secret was shown once at creation."""

    list_display = ("name", "prefix", "organisation", "role", "scope", "rate_limit_exempt", "revoked_at")
    list_filter = ("rate_limit_exempt", "scope")
    readonly_fields = ("key_sha256", "prefix", "created_at")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "organisation", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")


@admin.register(AdminEvent)
class AdminEventAdmin(ReadOnlyAdmin):
    """The set-up log, readable by superusers and never writable: lines are written only by the
    services (``parties.audit``), and on PostgreSQL a trigger refuses UPDATE and DELETE anyway."""

    list_display = ("at", "organisation", "kind", "by_user", "by_token", "subject_type", "subject_label")
    list_filter = ("kind",)
    date_hierarchy = "at"
