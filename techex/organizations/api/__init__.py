"""The organizations API (/api/v1/)."""
