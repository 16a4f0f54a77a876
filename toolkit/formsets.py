"""Formsets over a fixed set of rows (one per choice, made by a migration): they edit those
rows and never add one, whatever a posted form count says."""

from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet


class FixedRowsFormSet(BaseModelFormSet):
    """Use with modelformset_factory(..., formset=…, edit_only=True, extra=0); `refusal` is the
    message for a posted row beyond the existing ones."""

    refusal = ""

    def clean(self):
        super().clean()
        if any(form.has_changed() for form in self.extra_forms):
            raise ValidationError(self.refusal)
