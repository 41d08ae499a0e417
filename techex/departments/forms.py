"""Staff forms of departments: which queue a staff page shows, and handing an item over to another department."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Department
from .scope import staff_scope
from .selectors import department_list_public, lead_department, queue_counts
from .services import REASON_MAX, department_reassign

ALL_QUEUES = "all"


class QueueForm(forms.Form):
    """``?department=``: empty for my queue, a department's code, or ``all`` (lead staff only).

    The one place the staff queues (listing review, organisation verification) read which queue to show; a value
    the user may not choose is an error and the page shows their own queue.
    """

    department = forms.ChoiceField(required=False, label=_("Queue"))

    def __init__(self, data: Any = None, *, user: Any, departments: list[Department] | None = None) -> None:
        super().__init__(data)
        self.scope = staff_scope(user)
        if departments is None:
            departments = list(department_list_public()) if self.scope.is_lead else []
        self.departments = {d.code: d for d in departments} if self.scope.is_lead else {}
        choices: list[tuple[str, Any]] = [("", _("My queue"))]
        if self.scope.is_lead:
            choices += [(ALL_QUEUES, _("All queues"))] + [(code, d.name) for code, d in self.departments.items()]
        elif self.scope.department is not None and self.scope.province_codes:
            # A partner naming its own department (an API client, a bookmarked link) asks for its own queue.
            own = self.scope.department
            self.departments = {own.code: own}
            choices.append((own.code, own.name))
        cast(forms.ChoiceField, self.fields["department"]).choices = choices

    @property
    def is_lead(self) -> bool:
        return self.scope.is_lead

    def chosen(self) -> str:
        return self.cleaned_data["department"] if self.is_bound and self.is_valid() else ""

    def my_department(self) -> Department | None:
        return self.scope.department if self.scope.department is not None else lead_department()

    def queue_department(self) -> Department | None:
        """The department whose queue to show; None for all queues (the lead's choice)."""
        chosen = self.chosen()
        if chosen == ALL_QUEUES:
            return None
        if chosen:
            return self.departments[chosen]
        return self.my_department()


class ReassignForm(forms.Form):
    """Hand an item over to another department's queue (``departments.services.department_reassign``)."""

    prefix = "reassign"

    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("Department"), to_field_name="code")
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data: Any = None, *, current: Department | None = None) -> None:
        super().__init__(data)
        queryset = department_list_public()
        if current is not None:
            queryset = queryset.exclude(pk=current.pk)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = queryset

    @classmethod
    def submitted(cls, data: Any) -> bool:
        return f"{cls.prefix}-department" in data

    def reassign(self, *, user: Any, obj: Any) -> bool:
        """Call the service; its refusal goes on the form (the keys are this form's fields)."""
        try:
            department_reassign(
                user=user, obj=obj, department=self.cleaned_data["department"], reason=self.cleaned_data["reason"]
            )
        except ValidationError as exc:
            self.add_error(None, exc)
            return False
        return True


def queue_context(request: Any, list_queue: Any, *, counts: bool = True) -> dict:
    """What a staff queue page shows: my queue by default, for lead staff any department's or all, with counts.

    ``list_queue(user=, department=)`` is the queue's selector (the listing review and the verification queues,
    the deals of the staff list and funnel, the dashboard's counters); ``counts=False`` skips counting each
    department's queue (an API answer, or a page whose figures are not one queue's, like the dashboard).
    """
    lead = staff_scope(request.user).is_lead
    counts_by: list[tuple[Department, int | None]] = []
    if lead and counts:
        counts_by = list(queue_counts(queryset=list_queue(user=request.user)))
    departments = [d for d, _n in counts_by] if counts_by else None
    form = QueueForm(request.GET or None, user=request.user, departments=departments)
    department = form.queue_department()
    if lead and not counts:
        # The lead still chooses among every department; the chips show no count.
        counts_by = [(d, None) for d in form.departments.values()]
    return {
        "queue_form": form,
        "queue_department": department,
        "queue_counts": counts_by,
        "queue_total": sum(n or 0 for _department, n in counts_by) if counts else None,
        "queue": list_queue(user=request.user, department=department),
    }
