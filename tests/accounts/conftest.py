# The toolkit's companies with an organisation and members (org_a, org_b), shared here.
from tests.toolkit.conftest import org_a, org_b  # noqa: F401
