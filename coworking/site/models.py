"""The operators' texts: one row per operator, page and language, stored only once an admin
edits it."""
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coworking.database import UTCDateTime
from coworking.extensions import db

# The Impressum, the privacy notice and the accessibility statement (BITV 2.0).
SLUGS = ("impressum", "datenschutz", "barrierefreiheit")
LANGUAGES = ("de", "en")
TITLE_MAX = 120
BODY_MAX = 40000


class SitePage(db.Model):
    """The body is plain text: paragraphs split on blank lines, "## " lines are headings.
    No HTML is ever taken from the database, so an edit cannot put a script on the site."""

    __tablename__ = "site_page"
    __table_args__ = (
        UniqueConstraint("operator_id", "slug", "language",
                         name="uq_site_page_operator_slug_language"),
        CheckConstraint("slug IN ('impressum', 'datenschutz', 'barrierefreiheit')", name="slug"),
        CheckConstraint("language IN ('de', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose page it is: the portal's operator speaks for the site outside a space's pages.
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    slug: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    updated_at = mapped_column(UTCDateTime, nullable=False)
    # Kept when the admin's account is deleted: the page then names no editor.
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
