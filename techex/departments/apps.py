from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "techex.departments"
    label = "departments"

    def ready(self) -> None:
        from techex.core.events import subscribe
        from techex.reference.events import ReferenceDataLoaded

        from . import subscribers

        # The lead department hangs on its province, which exists only once the reference data is loaded: the
        # loader announces that and the lead is made sure of then (reference may not import departments).
        subscribe(ReferenceDataLoaded, subscribers.ensure_lead)
