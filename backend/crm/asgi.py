"""The application object uvicorn serves (`crm.asgi:app`)."""

from crm.app import create_app
from crm.core.observability import configure_logging
from crm.settings import get_settings

# Each server process (`serve --workers N` starts fresh interpreters) sets up its own logging.
configure_logging(get_settings().log_level, get_settings().log_format)
app = create_app()
