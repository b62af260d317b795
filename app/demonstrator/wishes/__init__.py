"""Who is routed and when, wishes on both sides, what a visit is worth, and the visitors' availability."""
