from celery import shared_task

from tenants import services


@shared_task(bind=True, acks_late=True)
def company_provision_task(self, company_id: int) -> str:
    # Idempotent: a redelivered message finds the company active and does nothing.
    return services.company_provision(company_id=company_id).status


@shared_task(acks_late=True, ignore_result=True)
def spare_pool_refill_task() -> int:
    return services.spare_pool_refill()


@shared_task(ignore_result=True)
def provisioning_sweep_task() -> list[int]:
    return services.provisioning_sweep()
