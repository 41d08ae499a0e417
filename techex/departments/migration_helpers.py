"""Code that data migrations of other apps share; written against historical models (``apps.get_model``)."""

from typing import Any

from django.conf import settings


def backfill_moderated_by(apps: Any, *, model: str, action: str, moderated: dict[str, Any]) -> None:
    """Set ``moderated_by_department`` on the stored rows of ``model`` ("app.Model") that ``moderated`` selects.

    The department is the one whose staff acted, read from the last ``action`` entry of the audit trail: the
    actor's department; the lead for a superuser or a staff account without a department (they act as lead
    staff). With no usable entry (none, or its actor deleted) the row's routing department stands in: the
    department whose queue it was moderated from, as far as the database can tell.
    """
    Model = apps.get_model(model)
    AuditEntry = apps.get_model("core", "AuditEntry")
    Department = apps.get_model("departments", "Department")
    DepartmentStaff = apps.get_model("departments", "DepartmentStaff")
    User = apps.get_model(settings.AUTH_USER_MODEL)

    lead = Department.objects.filter(is_lead=True).values_list("pk", flat=True).first()
    last_actor: dict[str, int | None] = {}
    entries = AuditEntry.objects.filter(action=action, target_type=Model._meta.label_lower).order_by("id")
    for target_id, actor_id in entries.values_list("target_id", "actor_id").iterator():
        last_actor[target_id] = actor_id
    actors = {a for a in last_actor.values() if a is not None}
    membership = dict(DepartmentStaff.objects.filter(user_id__in=actors).values_list("user_id", "department_id"))
    superusers = set(User.objects.filter(pk__in=actors, is_superuser=True).values_list("pk", flat=True))

    by_department: dict[int, list[Any]] = {}
    for pk, routed in Model.objects.filter(**moderated).values_list("pk", "department_id").iterator():
        actor = last_actor.get(str(pk))
        if actor is None:
            department = routed or lead
        elif actor in superusers:
            department = lead
        else:
            department = membership.get(actor, lead)
        if department is not None:
            by_department.setdefault(department, []).append(pk)
    for department, pks in by_department.items():
        for start in range(0, len(pks), 500):
            Model.objects.filter(pk__in=pks[start : start + 500]).update(moderated_by_department=department)
