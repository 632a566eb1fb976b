"""Towns, spaces, resources, opening hours and closures."""
