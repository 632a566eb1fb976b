"""Every module that defines tables: importing this one makes the metadata (migrations, the
check that models and migrations agree, `create_all` in tests) know all of them."""
from coworking import audit, jobs, outbox
from coworking.accounts import billing_details, models as accounts, research_profile
from coworking.billing import models as billing
from coworking.bookings import idempotency, models as bookings, series
from coworking.calendars import models as calendars
from coworking.checkins import models as checkins
from coworking.companies import models as companies
from coworking.contracts import models as contracts
from coworking.directory import models as directory
from coworking.invoicing import models as invoicing
from coworking.memberships import models as memberships, orders
from coworking.notifications import reminders
from coworking.operators import models as operators
from coworking.push import models as push
from coworking.site import models as site
from coworking.space_events import models as space_events
from coworking.spaces import models as spaces, photos as space_photos
from coworking.waitlist import models as waitlist

MODULES = (
    accounts, billing_details, research_profile, operators, spaces, site, memberships, orders,
    bookings, series, idempotency, waitlist, billing, calendars, checkins, contracts, invoicing,
    reminders, audit, jobs, outbox, space_photos, space_events, companies, directory,
    push,
)
