"""What people read about a rule: translatable text keyed by the rule's id.

Rule files hold ids and parameters only (``rules/*.toml``); every sentence a customer, an agent
or a mediator reads is here, so that it is translated with the rest of Plaint. A test fails when
a rule has no title here, or a title has no rule.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from plaint.deadlines.durations import Duration, Unit
from plaint.deadlines.rules import ExpiryAction, MetBy, Start

RULE_TITLES = {
    "ISO10002.acknowledge": _("Acknowledge the complaint (ISO 10002 good practice)"),
    "CZ.consumer.handle": _("Handle a consumer complaint and inform the consumer (Czech law)"),
    "CZ.telecom.handle": _("Handle a complaint about electronic communications (Czech law)"),
    "CZ.telecom.objection": _("Object to the handling before the Czech Telecommunication Office"),
    "PL.consumer.reply": _("Reply to a consumer complaint (Polish law)"),
    "PL.telecom.acknowledge": _("Confirm receipt of a telecoms complaint (Polish law)"),
    "PL.telecom.reply": _("Reply to a telecoms complaint (Polish law)"),
    "PL.finance.reply": _("Reply to a complaint to a financial institution (Polish law)"),
    "RO.goods.remedy": _("Repair or replace goods (Romanian law)"),
    "RO.telecom.settle": _("Settle an electronic communications complaint (Romania)"),
    "BR.SAC.answer": _("Answer the consumer's demand (Brazil, SAC decree)"),
    "BR.SAC.history": _("Send the history of the demand on request (Brazil, SAC decree)"),
    "BR.CDC.defect": _("Remedy a defect (Brazil, Consumer Defence Code)"),
    "BR.platform.answer": _("Answer a complaint filed on consumidor.gov.br"),
    "UK.DISP.summary_resolution": _("Resolve by the close of the third business day (FCA)"),
    "UK.DISP.final_response": _("Send a final response within eight weeks (FCA)"),
    "UK.FOS.referral_window": _("Refer the complaint to the Financial Ombudsman Service"),
    "UK.Ofcom.adr": _("Resolve within eight weeks or give access to ADR (Ofcom)"),
    "UK.Ofgem.ombudsman": _("Resolve within eight weeks or give access to the Energy Ombudsman"),
    "US.CFPB.response": _("Respond to a complaint sent by the CFPB"),
    "US.CFPB.priority": _("Respond before the CFPB may prioritise the complaint"),
    "US.CFPB.final": _("Send the final response to a CFPB complaint"),
    "promise.callback": _("Call the customer back as promised"),
    "promise.action": _("Do what was promised by the promised time"),
}

START_TEXT = {
    Start.RECEIVED: _("when the complaint was received"),
    Start.FORMAL: _("when it became a formal complaint"),
    Start.FINAL_RESPONSE: _("when the final response was sent"),
    Start.HISTORY_REQUESTED: _("when the customer asked for the history"),
}

MET_BY_TEXT = {
    MetBy.ACKNOWLEDGEMENT: _("It is met when the complaint is acknowledged."),
    MetBy.ANSWER: _("It is met when a decision or a final response is sent."),
    MetBy.FINAL_RESPONSE: _("It is met when the final response is sent."),
    MetBy.REFERRAL: _("It is met when the customer takes the case to the external body."),
    MetBy.HISTORY_SENT: _("It is met when the history is sent to the customer."),
}

EXPIRY_TEXT = {
    ExpiryAction.ESCALATE: _("the complaint is escalated one level"),
    ExpiryAction.NOTIFY_MANAGER: _("the managers are told"),
    ExpiryAction.DEEMED_ACCEPTED: _("the complaint is deemed accepted as the customer asked"),
    ExpiryAction.OPEN_EXTERNAL_ROUTE: _("the customer may take the case to %(body)s"),
    ExpiryAction.MARK_UNTIMELY: _("the response is untimely"),
    ExpiryAction.CONSUMER_RIGHTS: _("the consumer gains statutory rights: %(rights)s"),
    ExpiryAction.SANCTION_RISK: _("the provider risks an administrative sanction"),
    ExpiryAction.LAPSE_RIGHT: _("the right lapses"),
}

CONSUMER_RIGHT_TEXT = {
    "withdraw": _("withdraw from the contract"),
    "discount": _("a reasonable discount"),
    "price_reduction": _("a price reduction"),
    "termination": _("termination of the contract"),
    "replacement": _("a replacement"),
    "refund": _("a refund"),
}


def duration_text(duration: Duration) -> str:
    """A rule's time in words, in the active language ("14 days", "1 month", "3 working days"):
    what a person reads on the public procedure and "your rights" pages. Worded to follow
    "within" (``within_text``): languages that decline a number's noun there use that case."""
    n = duration.value
    # Translators: these follow "within" (the next message); use the case your language needs there.
    texts = {
        Unit.MINUTES: ngettext("%(count)d minute", "%(count)d minutes", n),
        Unit.HOURS: ngettext("%(count)d hour", "%(count)d hours", n),
        Unit.BUSINESS_MINUTES: ngettext(
            "%(count)d minute of working time", "%(count)d minutes of working time", n
        ),
        Unit.BUSINESS_HOURS: ngettext("%(count)d working hour", "%(count)d working hours", n),
        Unit.CALENDAR_DAYS: ngettext("%(count)d day", "%(count)d days", n),
        Unit.BUSINESS_DAYS: ngettext("%(count)d working day", "%(count)d working days", n),
        Unit.WEEKS: ngettext("%(count)d week", "%(count)d weeks", n),
        Unit.MONTHS: ngettext("%(count)d month", "%(count)d months", n),
        Unit.YEARS: ngettext("%(count)d year", "%(count)d years", n),
    }
    return texts[duration.unit] % {"count": n}


def within_text(duration: Duration) -> str:
    """"within 14 days": the time a party has, as a phrase."""
    return gettext("within %(duration)s") % {"duration": duration_text(duration)}
