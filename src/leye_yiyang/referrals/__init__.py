"""Referrals: a resident handed to a facility, vacancy or course, a place held, every step followed (lifecycle rules in rules/referral_states.py)."""
