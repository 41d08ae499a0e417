"""The accounts API (/api/v1/)."""
