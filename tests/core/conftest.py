"""The toolkit's company fixtures, for pages across modules."""

from tests.toolkit.conftest import org_a, org_b  # noqa: F401
