"""Research: usage metrics per space and period, disclosure control, and the data package."""
