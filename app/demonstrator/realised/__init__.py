"""Planned against realised meetings, from the badge scans at the stands."""
