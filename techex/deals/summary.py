"""The printable summary of a recorded contract, as the HTML page and the PDF both show it.

It gathers what the registration dossier asks about (Form 01, Appendix IV, Decree 76/2018/NĐ-CP: the parties, the
technology and its object, the form of transfer, the price, the term) so that the parties can copy it into the
form; it is not the form itself. Built once here so that the page and the PDF never say different things.
"""

import unicodedata
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from techex.listings.form_fields import group_thousands

from .choices import ProposalStatus, TransferObject


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class ContractSummary:
    title: str
    reference_code: str
    operator: str
    sections: list[Section]
    notes: list[str] = field(default_factory=list)
    printed_on: str = ""


def vnd(value: int | None) -> str:
    return f"{group_thousands(int(value))} ₫" if value is not None else "—"


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _nfc(text) -> str:
    # NFD text (typed on some keyboards) would print its accents as loose marks without a shaping engine.
    return unicodedata.normalize("NFC", str(text or "")).strip() or "—"


def _party(title: str, name: str, organization) -> Section:
    rows = [
        Row(_("Name"), name or organization.name),
        Row(_("Tax code"), organization.tax_code),
        Row(_("Address"), organization.full_address),
        Row(_("Phone"), organization.phone),
        Row(_("E-mail"), organization.email),
    ]
    return Section(title, [Row(row.label, _nfc(row.value)) for row in rows])


def _objects(values) -> str:
    labels = dict(TransferObject.choices)
    return "; ".join(str(labels.get(value, value)) for value in values or []) or "—"


def _term(months: int | None) -> str:
    if not months:
        return _("Not limited in time")
    return _("%(months)d months") % {"months": months}


def _price(contract) -> str:
    parts = []
    if contract.value_vnd is not None:
        parts.append(vnd(contract.value_vnd))
    if contract.royalty_percent is not None:
        royalty = formats.number_format(contract.royalty_percent, decimal_pos=2, use_l10n=True)
        parts.append(_("royalty %(percent)s %% of net sales") % {"percent": royalty})
    return _(" plus ").join(parts) if parts else "—"


def registration_reason(contract) -> str:
    """Why registration is compulsory or not, in the words of the Law on Technology Transfer, Art. 31."""
    if contract.cross_border == "into_vietnam":
        return _("Compulsory: technology transferred from abroad into Vietnam (Art. 31).")
    if contract.cross_border == "out_of_vietnam":
        return _("Compulsory: technology transferred from Vietnam abroad (Art. 31).")
    if contract.state_budget and not contract.st_task_registered:
        return _("Compulsory: a domestic transfer using state capital or budget (Art. 31).")
    if contract.state_budget:
        return _("Voluntary: state budget was used, but the result of the S&T task is already registered (Art. 31).")
    return _("Voluntary: a domestic transfer without state capital or budget (Art. 31).")


def _technical_assistance(deal) -> str:
    """What the accepted proposal said of training, experts and assistance (Art. 6); the contract does not keep it."""
    proposal = deal.proposals.filter(status=ProposalStatus.ACCEPTED).order_by("-responded_at", "-id").first()
    return proposal.technical_assistance if proposal else ""


def contract_summary(*, contract, operator: dict) -> ContractSummary:
    """Gather what a registration dossier asks about a recorded contract."""
    deal = contract.deal
    listing = deal.listing
    if deal.is_offer:
        technology = [Row(_("Technology"), listing.title)]
    else:
        # A need names what is wanted, not the technology: that is the inquirer's, which the contract does not name.
        technology = [
            Row(
                _("Technology"),
                _("The technology of %(transferor)s that answers the need below")
                % {"transferor": contract.transferor_name or deal.transferor_organization.name},
            ),
            Row(_("Technology need answered"), listing.title),
        ]
    technology += [
        Row(_("Listing"), listing.reference_code),
        Row(_("Object of transfer (Art. 4)"), _objects(contract.transfer_objects)),
        Row(_("Intellectual property"), _ip(listing)),
    ]
    terms = [
        Row(_("Form of transfer (Art. 5)"), contract.get_contract_form_display()),
        Row(_("Rights transferred"), contract.get_licence_display()),
        Row(_("Exclusive"), _("Yes") if contract.exclusive else _("No")),
        Row(_("Territory"), contract.territory),
        Row(_("Price and payment"), _price(contract)),
        Row(_("Term"), _term(contract.term_months)),
        Row(_("Technical assistance, training, experts (Art. 6)"), _technical_assistance(deal)),
        Row(_("Date signed"), _date(contract.signed_on)),
    ]
    registration = [
        Row(_("Origin of the technology"), contract.get_cross_border_display()),
        Row(_("State capital or budget used"), _("Yes") if contract.state_budget else _("No")),
        Row(_("Registration"), registration_reason(contract)),
        Row(_("Registration status"), contract.get_registration_status_display()),
        Row(_("Certificate number"), contract.registration_number),
        Row(_("Certified on"), _date(contract.certified_on)),
    ]
    sections = [
        _party(_("Transferor (bên giao công nghệ)"), contract.transferor_name, deal.transferor_organization),
        _party(_("Transferee (bên nhận công nghệ)"), contract.transferee_name, deal.transferee_organization),
        Section(_("Technology transferred"), [Row(r.label, _nfc(r.value)) for r in technology]),
        Section(_("Terms of the contract"), [Row(r.label, _nfc(r.value)) for r in terms]),
        Section(
            _("Registration (Law on Technology Transfer, Art. 31)"), [Row(r.label, _nfc(r.value)) for r in registration]
        ),
    ]
    notes = [
        _(
            "This summary gathers what the registration dossier asks about the parties, the technology, the form, "
            "the price and the term (Form 01, Appendix IV, Decree 76/2018/NĐ-CP). It is not the form itself: "
            "fill in the form and attach the contract."
        ),
        _("Recorded on the exchange as deal %(code)s.") % {"code": deal.reference_code},
    ]
    return ContractSummary(
        title=_("Summary of a technology-transfer contract"),
        reference_code=deal.reference_code,
        operator=_nfc(operator.get("display_name", "")),
        sections=sections,
        notes=notes,
        printed_on=_date(timezone.localdate()),
    )


def _ip(listing) -> str:
    if listing.ip_type == "none":
        return listing.get_ip_type_display()
    parts = [listing.get_ip_type_display(), listing.get_ip_status_display(), listing.ip_numbers]
    return ", ".join(str(part) for part in parts if part)
