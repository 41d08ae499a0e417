"""allauth's adapter: the client's address from the one place that knows it, and account e-mails through the worker."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives

from techex.core.client import client_address

from .tasks import account_email_send


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """allauth's rate limits (sign-up, password reset) count per client address as throttles and lock-out do."""
        return client_address(request) or super().get_client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        """Render the e-mail here (its links come from the request) and let the worker send it.

        A slow or unreachable mail server then never holds a sign-up or password-reset request, and the page
        answers the same whether or not an e-mail goes out (the reset page never tells whether an account exists).
        """
        request = context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context_data}
        message = self.render_mail(template_prefix, email, ctx)
        html: str | None = None
        if isinstance(message, EmailMultiAlternatives):
            html = next((str(content) for content, mimetype in message.alternatives if mimetype == "text/html"), None)
        body = message.body if isinstance(message.body, str) else str(message.body)
        if message.content_subtype == "html":
            body, html = "", body
        # Queued in the request's own transaction (the queue is in the database): a sign-up rolled back queues no
        # e-mail, and nothing depends on the commit hook (allauth sends inside its views).
        account_email_send.enqueue(message.subject, body, message.from_email, list(message.to), html)
