"""Members' own data: all of it as one download, and deleting the account."""
