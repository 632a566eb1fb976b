"""The billing tests' shop (a space, an uncovered member, plans, the local Stripe server)."""
from tests.billing.conftest import shop  # noqa: F401  (a fixture)
