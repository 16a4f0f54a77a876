"""What each plan includes. Billing (a later capability) sells these; here they are enforced."""

from tenants.models import Plan

MEMBER_LIMITS = {Plan.TRIAL: 100, Plan.STANDARD: 1000, Plan.PROFESSIONAL: 20000}


def member_limit(plan: str) -> int:
    return MEMBER_LIMITS[plan]
