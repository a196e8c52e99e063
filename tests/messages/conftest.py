"""The mail tests' real SMTP server (aiosmtpd on loopback), for the notice emails."""

from tests.mail.conftest import mail_log, smtp_down, smtp_port, smtp_server

__all__ = ["mail_log", "smtp_down", "smtp_port", "smtp_server"]
