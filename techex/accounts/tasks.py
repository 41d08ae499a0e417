"""Background work of accounts: sending the e-mails of sign-up and password reset (queued after commit)."""

from django_tasks import task


@task()
def account_email_send(subject: str, body: str, from_email: str, to: list[str], html: str | None = None) -> int:
    """Send an account e-mail rendered in the request (its links need the request's host); return how many sent."""
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
