"""Text cells of every CSV file are escaped the way spreadsheets expect: a formula is shown,
never run; numbers stay numbers."""
import pytest

from coworking.spreadsheets import text_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("https://evil.example","Klick")', "+1+2",
                                  "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"])
def test_a_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert text_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Dorfmitte", "", "10-25", "Café = Büro", -12, -0.5, 0,
                                   None])
def test_plain_text_and_numbers_pass_unchanged(value):
    assert text_cell(value) == value
