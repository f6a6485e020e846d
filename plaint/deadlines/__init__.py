"""When is it due? Calendars and deadline rules; knows nothing of complaints."""
