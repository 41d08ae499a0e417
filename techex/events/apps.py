from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "techex.events"
    label = "events"

    def ready(self) -> None:
        from techex.core.events import subscribe
        from techex.organizations import profile

        from . import subscribers
        from .events import B2BAgendaPublished, RegistrantsMessaged, RegistrationChanged
        from .organization_section import organization_events

        subscribe(RegistrationChanged, subscribers.tell_registrant)
        subscribe(RegistrantsMessaged, subscribers.message_registrants)
        subscribe(B2BAgendaPublished, subscribers.send_agendas)
        # An organisation's page lists the events it organises (docs/architecture.md, organizations.profile).
        profile.register(organization_events)
