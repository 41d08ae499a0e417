"""Notification kinds of services (found at start-up by techex.notifications, as admin modules are)."""

from django.utils.translation import gettext_lazy as _

from techex.notifications.kinds import register

# Every kind takes the request's reference code (request) and the service's name (service).

register("services.assigned", _("A request for “%(service)s” was assigned to you (request %(request)s)."))
register(
    "services.provider_assigned",
    _("A provider was assigned to your request for “%(service)s” (request %(request)s)."),
)
register("services.quoted", _("You received a quote for your request for “%(service)s” (request %(request)s)."))
register("services.accepted", _("The client accepted your quote (request %(request)s, “%(service)s”)."))
register("services.quote_declined", _("The client declined your quote (request %(request)s, “%(service)s”)."))
register("services.started", _("The provider started work on your request %(request)s (“%(service)s”)."))
register("services.delivered", _("The provider delivered your request %(request)s (“%(service)s”): please rate it."))
register("services.closed", _("The client closed and rated request %(request)s (“%(service)s”)."))
register("services.cancelled", _("The client cancelled request %(request)s (“%(service)s”)."))
register("services.declined", _("The provider declined your request %(request)s (“%(service)s”)."))
register("services.message", _("New message in service request %(request)s (“%(service)s”)."))
register("services.provider_verified", _("Your organisation is now a verified provider of services."))
register("services.provider_refused", _("Your application to provide services was not accepted."))
