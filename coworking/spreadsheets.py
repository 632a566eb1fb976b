"""Text for the cells of CSV files people open in a spreadsheet: every CSV writer passes its
text cells through `text_cell`, so none of them can carry a formula (OWASP, CSV injection)."""

# What makes a spreadsheet read a cell as a formula or a command: =, +, - and @, and a tab
# or carriage return before any of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value):
    """A text a spreadsheet would run (a space named `=HYPERLINK(…)`) gets a leading single
    quote, the spreadsheets' own mark for "this is text". Numbers and anything that is not
    a str pass unchanged: a negative amount must stay a number."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
