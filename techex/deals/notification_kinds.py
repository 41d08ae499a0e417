"""Notification kinds of deals (found at start-up by techex.notifications, as admin modules are)."""

from django.utils.translation import gettext_lazy as _

from techex.notifications.kinds import register

# Every deal kind takes the deal's reference code (deal) and the listing's title (listing); most also the name of
# the organisation that acted (organization), as the reader may see it (docs/deals.md).

register("deal.inquiry", _("%(organization)s is interested in “%(listing)s” (deal %(deal)s)."))
register("deal.forwarded", _("The broker forwarded an inquiry about “%(listing)s” to you (deal %(deal)s)."))
register(
    "deal.accepted",
    _(
        "%(organization)s accepted your inquiry about “%(listing)s” (deal %(deal)s): "
        "you can now see each other's contacts."
    ),
)
register("deal.declined", _("%(organization)s declined your inquiry about “%(listing)s” (deal %(deal)s)."))
register("deal.withdrawn", _("%(organization)s withdrew its inquiry about “%(listing)s” (deal %(deal)s)."))
register("deal.dropped", _("Deal %(deal)s about “%(listing)s” was closed without agreement."))
register("deal.negotiation_started", _("Negotiation has started in deal %(deal)s about “%(listing)s”."))
register("deal.message", _("New message from %(organization)s in deal %(deal)s about “%(listing)s”."))
register("deal.proposal", _("%(organization)s made a proposal in deal %(deal)s about “%(listing)s”."))
register("deal.proposal_countered", _("%(organization)s made a counter-proposal in deal %(deal)s about “%(listing)s”."))
register(
    "deal.proposal_accepted",
    _("%(organization)s accepted the proposal in deal %(deal)s about “%(listing)s”: the terms are agreed."),
)
register("deal.proposal_rejected", _("%(organization)s rejected the proposal in deal %(deal)s about “%(listing)s”."))
register("deal.proposal_withdrawn", _("%(organization)s withdrew its proposal in deal %(deal)s about “%(listing)s”."))
register(
    "deal.nda_requested",
    _("%(organization)s asks for a non-disclosure agreement in deal %(deal)s about “%(listing)s”."),
)
register(
    "deal.nda_signed",
    _("%(organization)s uploaded the signed non-disclosure agreement of deal %(deal)s: please confirm it."),
)
register(
    "deal.nda_in_force",
    _("The non-disclosure agreement of deal %(deal)s about “%(listing)s” is in force."),
)
register("deal.contract_recorded", _("The contract of deal %(deal)s about “%(listing)s” was recorded."))
register(
    "deal.registration_updated",
    _("The registration of the contract of deal %(deal)s about “%(listing)s” was updated."),
)
register("deal.completed", _("Deal %(deal)s about “%(listing)s” is completed."))
register(
    "deal.broker_assigned",
    _("%(organization)s was assigned as the broker of deal %(deal)s about “%(listing)s”."),
)
