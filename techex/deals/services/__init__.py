"""Writes of deals: every stage, message, proposal, NDA and contract step.

Services are the only writers. Each locks the deal, checks who may act and in which stage (``permissions``),
validates, records an audit entry and queues notifications after the commit. Callers use this package
(``services.deal_accept``); the modules split it by concept.
"""

from .contract import contract_record, contract_registration_update
from .lifecycle import (
    deal_accept,
    deal_assign_broker,
    deal_complete,
    deal_decline,
    deal_drop,
    deal_forward,
    deal_inquire,
    deal_start_negotiation,
    deal_withdraw,
)
from .messages import MAX_FILES_PER_MESSAGE, deal_message_post
from .nda import nda_accept, nda_cancel, nda_confirm_signed, nda_request, nda_template_update, nda_upload_signed
from .proposals import proposal_accept, proposal_counter, proposal_create, proposal_reject, proposal_withdraw

__all__ = [
    "MAX_FILES_PER_MESSAGE",
    "contract_record",
    "contract_registration_update",
    "deal_accept",
    "deal_assign_broker",
    "deal_complete",
    "deal_decline",
    "deal_drop",
    "deal_forward",
    "deal_inquire",
    "deal_message_post",
    "deal_start_negotiation",
    "deal_withdraw",
    "nda_accept",
    "nda_cancel",
    "nda_confirm_signed",
    "nda_request",
    "nda_template_update",
    "nda_upload_signed",
    "proposal_accept",
    "proposal_counter",
    "proposal_create",
    "proposal_reject",
    "proposal_withdraw",
]
