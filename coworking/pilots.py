"""The five pilot spaces as `seed-demo` creates them: their towns, addresses and the texts
they show visitors until their hosts write their own. Data only."""

PILOTS = [
    {"slug": "wittenberge", "name": "Coworking Wittenberge", "town": "Wittenberge",
     "state": "BB", "state_name": "Brandenburg", "population": 16_900,
     "town_type": "Kleinstadt", "location_type": "peripher",
     "address": "Bahnstraße 37, 19322 Wittenberge", "saturday": False,
     "space_type": "commuter_haven"},
    {"slug": "diessen-am-ammersee", "name": "Coworking Dießen am Ammersee",
     "town": "Dießen am Ammersee", "state": "BY", "state_name": "Bayern", "population": 10_800,
     "town_type": "Kleinstadt", "location_type": "zentral",
     "address": "Marktplatz 1, 86911 Dießen am Ammersee", "saturday": True,
     "space_type": "classic"},
    {"slug": "dippoldiswalde", "name": "Coworking Dippoldiswalde", "town": "Dippoldiswalde",
     "state": "SN", "state_name": "Sachsen", "population": 14_500,
     "town_type": "Kleinstadt", "location_type": "zentral",
     "address": "Markt 2, 01744 Dippoldiswalde", "saturday": False,
     "space_type": "commuter_haven"},
    {"slug": "moelln", "name": "Coworking Mölln", "town": "Mölln",
     "state": "SH", "state_name": "Schleswig-Holstein", "population": 19_600,
     "town_type": "Kleinstadt", "location_type": "zentral",
     "address": "Hauptstraße 130, 23879 Mölln", "saturday": True,
     "space_type": "village_centre"},
    {"slug": "oestrich-winkel", "name": "Coworking Oestrich-Winkel", "town": "Oestrich-Winkel",
     "state": "HE", "state_name": "Hessen", "population": 11_900,
     "town_type": "Kleinstadt", "location_type": "zentral",
     "address": "Rheinallee 2, 65375 Oestrich-Winkel", "saturday": False,
     "space_type": "classic"},
]

# What the five pilot spaces tell visitors: written once into a space whose hosts have not
# written any texts yet.
SPACE_TEXTS = {
    "wittenberge": {
        "description": "Hell und ruhig im alten Bahnhofsviertel, fünf Minuten vom ICE-Halt: "
                       "für alle, die nicht mehr jeden Tag nach Berlin oder Hamburg pendeln.",
        "amenities": "WLAN (250 Mbit/s)\nMonitore an jedem Platz\nKaffee und Tee\nDrucker\n"
                     "Küche\nFahrradstellplätze",
        "access": "Eingang im Hof, rechts neben der Bäckerei. Zu den Öffnungszeiten ist die Tür "
                  "offen; sonst klingel bei „Coworking“.\n"
                  "Parken: kostenlos auf dem Bahnhofsvorplatz.\n"
                  "Stufenloser Zugang über die Rampe im Hof.",
        "contact_name": "Katrin Wendt",
        "contact_email": "wittenberge@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 3877 40 21 30",
        "latitude": 52.99925, "longitude": 11.75605,
    },
    "diessen-am-ammersee": {
        "description": "Mitten im Ort, ein paar Schritte vom See: Arbeiten, wo andere Urlaub "
                       "machen, mit Blick auf den Marktplatz.",
        "amenities": "WLAN\nHöhenverstellbare Tische\nKaffee aus der Rösterei nebenan\n"
                     "Besprechungsraum mit Bildschirm\nTelefonkabine",
        "access": "Eingang über die Seitentür in der Herrenstraße, 1. Stock. Vor 9 Uhr "
                  "liegt der Schlüssel in der Schlüsselbox neben der Tür; den Code sagt dir "
                  "Florian.\nParken: "
                  "Parkplatz am Bahnhof (5 Minuten zu Fuß).\nKein Aufzug.",
        "contact_name": "Florian Huber",
        "contact_email": "diessen@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 8807 92 14 60",
        "latitude": 47.95262, "longitude": 11.10128,
    },
    "dippoldiswalde": {
        "description": "Im Erdgeschoss am Markt, zwischen Rathaus und Kirche: ein offener "
                       "Arbeitsraum für Dresden-Pendler, Selbstständige und Gründerinnen.",
        "amenities": "WLAN\nMonitore\nKaffee und Tee\nDrucker und Scanner\nSpielecke für "
                     "Kinder",
        "access": "Eingang direkt am Markt, Glastür mit dem StadtLabor-Schild. Klingel "
                  "„Coworking“; nach dem Check-in öffnet dir das Team.\nParken: Parkplatz an "
                  "der Weißeritz.\nStufenlos, barrierefreies WC.",
        "contact_name": "Susanne Richter",
        "contact_email": "dippoldiswalde@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 3504 61 28 40",
        "latitude": 50.89385, "longitude": 13.66842,
    },
    "moelln": {
        "description": "In der Altstadt von Mölln, nahe dem Eulenspiegel-Brunnen: Platz für "
                       "alle, die sonst nach Hamburg oder Lübeck fahren würden.",
        "amenities": "WLAN\nMonitore\nKaffee, Tee und Wasser\nBesprechungsraum\nTelefonkabine\n"
                     "Schließfächer",
        "access": "Eingang Hauptstraße, Tür links neben dem Buchladen, 2. Stock (Aufzug "
                  "vorhanden).\n"
                  "Die Tür ist zu den Öffnungszeiten offen.\nParken: Parkhaus am Wasserkrüger Weg.",
        "contact_name": "Jonas Petersen",
        "contact_email": "moelln@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 4542 83 55 10",
        "latitude": 53.62751, "longitude": 10.68936,
    },
    "oestrich-winkel": {
        "description": "Zwischen Weinbergen und Rhein, in einem umgebauten Weingut: ruhige "
                       "Plätze für Pendlerinnen und Pendler ins Rhein-Main-Gebiet.",
        "amenities": "WLAN\nMonitore\nKaffee und Tee\nTerrasse zum Rhein\nE-Bike-Ladestation",
        "access": "Eingang durch das Hoftor an der Rheinallee, dann links. Das Tor ist zu den "
                  "Öffnungszeiten offen.\nParken: im Hof, vier Stellplätze.\nStufenloser "
                  "Zugang zum Erdgeschoss.",
        "contact_name": "Miriam Schäfer",
        "contact_email": "oestrich-winkel@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 6723 99 47 20",
        "latitude": 50.00424, "longitude": 8.01873,
    },
}
