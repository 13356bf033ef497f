"""The chase list: who has not returned, and who has an open query, with one e-mail each.

:func:`message` writes a plain-text :class:`email.message.EmailMessage` to the contact from the
plan's partner registry, marked ``X-Unsent: 1`` so Outlook opens it as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage

from dapreturn.core.plan.model import Plan
from dapreturn.core.report.model import ReceivedRow, Report, fmt_date


@dataclass(frozen=True)
class Chase:
    """One partner to write to, and why."""

    partner: str
    name: str
    contact_name: str
    email: str
    """Empty when the plan gives no address (the e-mail is still written, without a To)."""
    leads: list[str] = field(default_factory=list)
    """Not returned: the actions it leads (empty when it has returned)."""
    note: str = ""
    """Not returned: files that claimed to be its return but did not count, and why."""
    query: ReceivedRow | None = None
    """The returned file the officer queried."""

    @property
    def reason(self) -> str:
        """``not returned`` or ``open query``."""
        return "open query" if self.query is not None else "not returned"


def chase_list(report: Report, plan: Plan) -> list[Chase]:
    """Partners without a counted return, then partners with an open query (registry order)."""
    registry = {p.code: p for p in plan.partners}

    def contact(code: str) -> tuple[str, str]:
        p = registry.get(code)
        return (p.contact_name, p.contact_email) if p else ("", "")

    out = [
        Chase(n.partner, n.name, *contact(n.partner), leads=list(n.actions), note=n.note)
        for n in report.not_returned
    ]
    out += [Chase(q.partner, q.name, *contact(q.partner), query=q) for q in report.queries]
    return out


def subject(c: Chase, report: Report) -> str:
    """``daps-2018-2023 2018/19 Q3: your progress return has not reached us``."""
    what = (
        "a query on your progress return"
        if c.query is not None
        else "your progress return has not reached us"
    )
    return f"{report.plan_id} {report.period}: {what}"


def body(c: Chase, report: Report, signature: str = "") -> str:
    """The plain-text e-mail."""
    lines = [f"Dear {c.contact_name or c.name},", ""]
    if c.query is None:
        lines += [
            f"We have not yet received a signed progress return from {c.name} for "
            f"{report.period_text} on the {report.plan_title}. Returns were due by "
            f"{fmt_date(report.deadline)}.",
            "",
            f"{c.name} leads these actions: {', '.join(c.leads)}.",
        ]
        if c.note:
            lines += ["", f"A file we received could not be counted: {c.note}"]
        lines += ["", "Please complete, sign and send your return with dapreturn."]
    else:
        q = c.query
        lines += [
            f"Thank you for {c.name}'s progress return for {report.period_text} ({q.file}).",
            f"{q.officer or 'The reviewing officer'} has raised a query on it:",
            "",
        ]
        lines += [f"  {q.comment}"] if q.comment else []
        lines += [f"  On {ref}: {text}" for ref, text in sorted(q.comments.items())]
        lines += ["", "Please reply, or send a new revision of the return that answers it."]
    lines += ["", "Thank you,", signature or "The Domestic Abuse Prevention action plan team"]
    return "\n".join(lines) + "\n"


def message(c: Chase, report: Report, *, sender: str = "", signature: str = "") -> EmailMessage:
    """The e-mail to ``c``'s contact (no ``To`` when the plan has no address for it)."""
    msg = EmailMessage()
    if c.email:
        user, _, domain = c.email.partition("@")
        msg["To"] = Address(c.contact_name or c.name, user, domain)
    if sender:
        msg["From"] = sender
    msg["Subject"] = subject(c, report)
    msg["X-Unsent"] = "1"
    msg.set_content(body(c, report, signature))
    return msg


def file_name(c: Chase, report: Report) -> str:
    """``chase-2018-19-Q3-WMP-not-returned.eml``."""
    slug = report.period.replace("/", "-").replace(" ", "-")
    return f"chase-{slug}-{c.partner}-{c.reason.replace(' ', '-')}.eml"
