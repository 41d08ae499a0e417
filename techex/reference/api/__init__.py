"""The reference API (/api/v1/)."""
