"""The site as its operator publishes it: the Impressum and the privacy notice an admin
edits, and what a phone needs to keep the site on its home screen."""
