"""The member directory: profiles members choose to show to other signed-in members."""
