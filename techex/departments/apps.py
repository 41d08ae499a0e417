from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "techex.departments"
    label = "departments"

    def ready(self) -> None:
        from techex.reference.loader import reference_data_loaded

        from .services import ensure_lead_department

        # The lead department hangs on its province, which exists only once the reference data is loaded: the
        # loader announces that and the lead is made sure of then (reference may not import departments).
        reference_data_loaded.connect(
            lambda **kwargs: ensure_lead_department(), weak=False, dispatch_uid="departments.ensure_lead"
        )
