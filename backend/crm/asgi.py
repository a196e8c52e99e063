"""The application object uvicorn serves (`crm.asgi:app`)."""

from crm.app import create_app

app = create_app()
