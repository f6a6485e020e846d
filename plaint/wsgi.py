"""WSGI entry point: ``granian --interface wsgi plaint.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaint.settings.local")
application = get_wsgi_application()
