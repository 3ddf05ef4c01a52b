"""Back office for bookings: read-only here (changes go through the services and the API).

Administrators and auditors see every booking; a district officer the bookings of their
district's providers."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts
from sevamitra.bookings.models import Booking, BookingEvent, BookingSeries, Payment, Rating


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class EventInline(ReadOnlyInline):
    model = BookingEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "detail"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["method", "status", "amount", "reference", "recorded_by", "recorded_at"]
    readonly_fields = fields


class RatingInline(ReadOnlyInline):
    model = Rating
    fields = ["direction", "stars", "text", "created_at"]
    readonly_fields = fields


class ScopedReadOnlyAdmin(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        user = request.user
        roles = permissions.roles_of(user)
        if permissions.is_administrator(user) or Role.AUDITOR in roles:
            return queryset
        if Role.DISTRICT_OFFICER in roles:
            return queryset.filter(
                provider__district_id__in=user_districts(user, Role.DISTRICT_OFFICER)
            )
        return queryset.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        roles = permissions.roles_of(request.user)
        return permissions.is_administrator(request.user) or bool(
            roles & {Role.AUDITOR, Role.DISTRICT_OFFICER}
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Booking)
class BookingAdmin(ScopedReadOnlyAdmin):
    list_display = ["id", "starts_at", "category", "provider", "status", "kind", "channel", "total"]
    list_filter = ["status", "kind", "channel", "category", "provider__district"]
    search_fields = [
        "=id",
        "customer__phone",
        "provider__name_latin",
        "provider__name_hi",
        "pincode",
    ]
    list_select_related = ["category", "provider"]
    date_hierarchy = "starts_at"
    inlines = [EventInline, PaymentInline, RatingInline]
    show_full_result_count = False


@admin.register(BookingSeries)
class BookingSeriesAdmin(ScopedReadOnlyAdmin):
    list_display = ["id", "kind", "frequency", "starts_on", "ends_on", "provider", "status"]
    list_filter = ["kind", "frequency", "status"]
    list_select_related = ["provider"]
