"""People and their access: accounts (sign-up, sign-in, reset, profile), admins managing users,
password rules, signed links in mail, and personal API tokens."""
