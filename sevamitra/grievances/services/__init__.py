"""Writes on grievances: complaints, both sides' answers, escalation, decisions, sanctions and
appeals. Each function runs in one transaction, checks grievances.permissions first, changes
status only along the transition tables of grievances.models, queues its notifications
(grievances.notify) and writes its audit entry last — references and values only, never what
a person wrote (only its length, or that a reason was given).

The rules (ADR 0006):

Complaints (services.complaints)
- Only the booking's customer complains, about a booking that was confirmed (a cancelled
  booking counts if it had been confirmed), at the latest `filing_window_days` (30) after it
  ended; a no-show or a quality complaint once the start time has come. One open complaint
  per booking and type (a database constraint too). Text without a full Aadhaar number, up to
  three photos or PDFs (checked by content, pictures re-encoded without metadata, ≤ 5 MB).
- Deadlines are set at filing from GrievanceSettings (administrators edit them in the back
  office): to be resolved in safety 2, behaviour 5, no-show and overcharge 7, quality 10 days;
  the Sevamitra answers within `response_days` (3), never later than the deadline.
- Status: open → provider_responded → resolved, or → escalated → resolved; the customer may
  close (withdraw) a complaint that is not a safety complaint while it is open.
- Escalation: the hourly sweep (tasks.escalate) sends every complaint still open or answered
  past its deadline to the district officers of the provider's district, once. A safety
  complaint goes to them at filing.
- A safety complaint suspends the provider at once, in the filing's transaction, by the
  portal itself (provider_set_status(acting_user=None), reason SAFETY_SUSPENSION_REASON) —
  if the provider was not suspended already. Their live bookings are NOT cancelled (a
  complaint is not yet a finding, and the officer decides within two days): the customers of
  those starting in the next `safety_notice_days` (7) are told at once not to let the
  Sevamitra work, and how to cancel or rebook; told again if the Sevamitra is cleared.

Decisions (services.decisions) — by a district officer of the provider's district or an
administrator, never about oneself, always with a written reason:
- dismissed (any time); otherwise only after the Sevamitra has answered or the time to answer
  has passed (both sides heard).
- a refund order (alone, or with a warning or suspension): at most what was paid for the
  booking (else charged: cancellation fee, or the total of work done). The portal records the
  order; the Sevamitra refunds the customer directly (zero commission: no money passes here).
- a warning.
- a suspension: only if the Sevamitra has a warning on record from the last
  `warning_memory_days` (365) not overturned — "a warning first" — except on a safety
  complaint. It has an end date (at most a year ahead) or lasts "until review", when an
  officer lifts it (sanction_lift). Nothing in the portal blocks anyone for good.
- A safety complaint decided without a suspension reinstates the provider, if the
  provider's suspension is still the grievance process's own and no other safety complaint
  or suspension holds them.

Appeals (services.appeals): the Sevamitra may appeal a warning or suspension within
`appeal_window_days` (15) of the decision. The appeal is assigned at once to a named appellate
officer: an administrator if any, else another district officer of the district (never the
officer who decided), the one with the fewest pending appeals. They decide by
`appeal_decision_days` (30): upheld or overturned, with reasons. Overturning a suspension
reinstates the provider (by that officer) under the same condition as above; an overturned
warning no longer counts for "a warning first". Overdue appeals are listed on the officers'
page.

Suspensions end by themselves after their last day (tasks.end_suspensions, hourly).
"""
