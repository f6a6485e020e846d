"""How messages get in and out. Knows nothing of complaints: it stores and sends."""
