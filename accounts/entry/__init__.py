"""Pages for getting in: activation, the forgotten password, the member's own account, and
the admin's activation overview with the printable code sheet."""
