"""The legal sellers: who runs each space and who sells each plan."""
