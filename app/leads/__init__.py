"""Exhibitor lead scanning: stands, paired devices, scans, contacts (issue 7)."""
