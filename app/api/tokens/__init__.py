"""API tokens: an organiser's for an edition, a startup's for its own contacts; created, listed, revoked."""
