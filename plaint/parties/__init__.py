"""Who takes part: users, organisations and their teams and staff, customers, API tokens."""
