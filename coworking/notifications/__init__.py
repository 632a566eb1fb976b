"""E-mail to members: rendered in the transaction of the change that causes it, sent later
by the outbox worker."""
