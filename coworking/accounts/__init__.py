"""Users, roles, API tokens, sign-in and registration."""
