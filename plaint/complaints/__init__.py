"""What happens to a complaint: intake, lifecycle, escalation, records, decisions."""
