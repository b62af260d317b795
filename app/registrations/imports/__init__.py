"""The organiser's attendee import from CSV or XLSX: preview every bad row, then import all rows or none."""
