"""The customer portal: following a complaint, its page in plain words, and what a customer may do on it."""
