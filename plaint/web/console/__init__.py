"""The agent console: the queue, taking a call, a complaint's page with its actions, notifications."""
