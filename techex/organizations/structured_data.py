"""The schema.org description of an organisation's public page: its name, kind, province and website.

Never its tax code, street address, e-mail or phone: those are for its members and staff (and an individual
inventor's address is their home).
"""

from typing import Any

from techex.core.structured_data import without_empty

from .choices import OrganizationType, VerificationStatus
from .models import Organization

SCHEMA_TYPES: dict[str, str] = {
    OrganizationType.UNIVERSITY: "CollegeOrUniversity",
    OrganizationType.INSTITUTE: "ResearchOrganization",
    OrganizationType.ENTERPRISE: "Corporation",
    OrganizationType.PUBLIC_BODY: "GovernmentOrganization",
    OrganizationType.INDIVIDUAL: "Person",
}


def organization_json_ld(organization: Organization, *, url: str) -> dict[str, Any] | None:
    """The organisation's schema.org data; None for a profile the public does not see as it is (refused)."""
    if organization.verification_status == VerificationStatus.REJECTED:
        return None
    schema_type = SCHEMA_TYPES.get(organization.type, "Organization")
    region = organization.province.label if organization.province is not None else None
    return without_empty(
        {
            "@type": schema_type,
            "name": organization.name,
            "alternateName": organization.short_name if schema_type != "Person" else None,
            "url": url,
            "sameAs": organization.website,
            "description": organization.description,
            # A person's "address" would be their home: only an organisation's province is said.
            "address": None
            if schema_type == "Person"
            else without_empty(
                {"@type": "PostalAddress", "addressRegion": region, "addressCountry": organization.country}
            ),
        }
    )
