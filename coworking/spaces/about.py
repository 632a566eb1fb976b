"""What a space tells visitors about itself: where it is (with a link to OpenStreetMap, never
embedded map tiles, so the page loads nothing from elsewhere), amenities, how to get in and
whom to ask. Its hosts write the texts; pages and the API show them from here."""
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from coworking.content_language import shown

OSM = "https://www.openstreetmap.org/"
MAP_ZOOM = 18


@dataclass
class Contact:
    name: str
    email: str
    phone: str
    phone_href: str  # tel: link, digits and a leading + only


@dataclass
class About:
    description: str
    amenities: list
    access: str
    contact: Contact | None
    address: str
    map_url: str
    # Which of description, amenities and access an English visitor reads in German, since
    # the hosts wrote no English version of it.
    german_only: frozenset = frozenset()


def map_url(space):
    """A marker at the space's coordinates when its hosts set them; a search for its address
    otherwise (the town is added where the address does not already name it)."""
    if space.latitude is not None and space.longitude is not None:
        lat, lon = f"{space.latitude:.6f}", f"{space.longitude:.6f}"
        return f"{OSM}?{urlencode({'mlat': lat, 'mlon': lon})}#map={MAP_ZOOM}/{lat}/{lon}"
    query = space.address
    if space.town.name.casefold() not in query.casefold():
        query = f"{query}, {space.town.name}"
    return f"{OSM}search?{urlencode({'query': query})}"


def amenity_lines(text):
    """One amenity per line, blank lines and list marks dropped."""
    return [line.strip().lstrip("-•*").strip() for line in (text or "").splitlines()
            if line.strip().lstrip("-•*").strip()]


def phone_href(phone):
    digits = re.sub(r"[^0-9+]", "", phone or "")
    return f"tel:{digits[:1]}{digits[1:].replace('+', '')}" if digits else ""


def about(space):
    contact = None
    if space.contact_name or space.contact_email or space.contact_phone:
        contact = Contact(space.contact_name or "", space.contact_email or "",
                          space.contact_phone or "", phone_href(space.contact_phone))
    texts = {name: shown(getattr(space, name), getattr(space, f"{name}_en"))
             for name in ("description", "amenities", "access")}
    return About(description=texts["description"].text,
                 amenities=amenity_lines(texts["amenities"].text),
                 access=texts["access"].text, contact=contact, address=space.address,
                 map_url=map_url(space),
                 german_only=frozenset(name for name, text in texts.items() if text.fell_back))
