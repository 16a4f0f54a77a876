"""The pages' Django forms validate the API's input too, so no field rule is written twice."""

from rest_framework.exceptions import ValidationError


def form_valid(form) -> dict:
    """The form's cleaned data, or a 400 with its messages by field (the standard body)."""
    if not form.is_valid():
        raise ValidationError({name: [e["message"] for e in errors]
                               for name, errors in form.errors.get_json_data().items()})
    return form.cleaned_data
