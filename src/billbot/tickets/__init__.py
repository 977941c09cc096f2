"""Refund and dispute tickets: the domain, provider policies, evidence, the claim packet and the service."""
