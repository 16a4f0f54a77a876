from django import forms

from billing.models import BillingAccount


class DetailsForm(forms.ModelForm):
    class Meta:
        model = BillingAccount
        fields = ["invoice_title", "tax_id", "invoice_address", "invoice_bank", "email"]
