"""A complaint's page in the console and the actions on it (one form, one URL per action)."""
