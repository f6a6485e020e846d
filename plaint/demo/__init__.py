"""Demo data: ``plaint demo`` fills an instance with three providers and their complaints.

It exists so that someone trying Plaint sees a living desk at once: queues with
deadlines, escalations, decisions and referrals, all written through the same
services the product uses, with events dated over the last three months.
"""
