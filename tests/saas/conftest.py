# The toolkit's companies with an organisation, for the lockout and rate-limit tests.
from tests.toolkit.conftest import org_a, org_b  # noqa: F401
