"""The listings API (/api/v1/)."""
