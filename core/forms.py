from django.core.exceptions import ValidationError


def copy_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: each message under its field, or above the
    form when the field is not one of the form's."""
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)
