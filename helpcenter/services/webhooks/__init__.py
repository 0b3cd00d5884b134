"""Webhooks: events sent to addresses admins register, signed, by the durable jobs."""
