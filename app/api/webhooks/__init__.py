"""Webhooks: endpoints an organiser registers, the events captured from every change, signed deliveries."""
