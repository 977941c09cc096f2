"""The sandbox's own `/sandbox/v1/` control API: state the real API has no endpoint for."""
