"""The hall: its layout, stands and entrances, who holds which stand when, closures, tour slots, settings."""
