"""What every published column means, written once: the data package's table schemas and its
codebook.md (German and English) are both made from here."""
from flask_babel import force_locale

from coworking.accounts.research_profile import (
    COMMUTE_BAND_MIDPOINTS_KM,
    NO_ANSWER_TEXT,
    QUESTION_TEXTS,
    QUESTIONS,
)
from coworking.research import event_reach
from coworking.research.records import CAR_KG_CO2E_PER_KM, NO_ANSWER, OTHER

# resource -> [(column, Table Schema type, English, German)]
RESOURCES = {
    "spaces": [
        ("space", "string", "The space's short name (slug), the key the other tables use.",
         "Kurzname (Slug) des Space, Schlüssel der anderen Tabellen."),
        ("name", "string", "The space's name.", "Name des Space."),
        ("town", "string", "The town it is in.", "Ort, in dem er liegt."),
        ("state", "string", "Federal state (ISO 3166-2 code without DE-).",
         "Bundesland (ISO-3166-2-Kürzel ohne DE-)."),
        ("population", "integer", "Population of the town, as the programme recorded it.",
         "Einwohnerzahl des Orts, wie das Programm sie erfasst hat."),
        ("town_type", "string", "Town-type code (e.g. the federal spatial-research typology).",
         "Stadttyp-Code (z. B. nach der Raumtypologie des BBSR)."),
        ("location_type", "string", "Location-type code (e.g. central, peripheral).",
         "Lagetyp-Code (z. B. zentral, peripher)."),
        ("space_type", "string", "Type of space: classic (classic coworking), commuter_haven "
         "(\"Pendlerhafen\"), village_centre (new village centre); empty if not classified.",
         "Art des Space: classic (klassisches Coworking), commuter_haven (Pendlerhafen), "
         "village_centre (neue Dorfmitte); leer, wenn nicht eingeordnet."),
        ("timezone", "string", "IANA time zone; all local dates and hours are in it.",
         "IANA-Zeitzone; alle lokalen Daten und Stunden beziehen sich auf sie."),
        ("desks", "integer", "Desks in service (hot and fixed) at the time of the export.",
         "Arbeitsplätze in Betrieb (flexibel und fest) zum Zeitpunkt des Exports."),
    ],
    "space_metrics": [
        ("space", "string", "The space (see spaces).", "Der Space (siehe spaces)."),
        ("granularity", "string", "day, week (ISO week, Monday to Sunday) or month, in local "
         "time.", "day (Tag), week (ISO-Woche, Montag bis Sonntag) oder month (Monat), in "
         "Ortszeit."),
        ("period_start", "date", "First local day of the period (weeks: the Monday, months: "
         "the 1st).", "Erster lokaler Tag des Zeitraums (Wochen: Montag, Monate: der 1.)."),
        ("period_end", "date", "Last local day of the period (weeks: the Sunday, months: the "
         "last day). Every row covers its whole period; see Windows below.",
         "Letzter lokaler Tag des Zeitraums (Wochen: Sonntag, Monate: der letzte Tag). Jede "
         "Zeile umfasst ihren ganzen Zeitraum; siehe Zeitfenster unten."),
        ("open_desk_hours", "number", "Desks in service times opening hours; closures and "
         "closed public holidays count as closed. Not about members, so never suppressed.",
         "Arbeitsplätze in Betrieb mal Öffnungsstunden; Schließtage und geschlossene Feiertage "
         "zählen nicht. Betrifft keine Personen und wird daher nie unterdrückt."),
        ("booked_desk_hours", "number", "Hours of desk bookings starting in the period that "
         "were kept: confirmed and checked-in bookings in full, completed ones until the "
         "check-out if the member left early; no-shows, cancellations and payment holds do not "
         "count.", "Stunden der Platzbuchungen mit Beginn im Zeitraum, die gehalten wurden: "
         "bestätigte und eingecheckte voll, abgeschlossene bis zum Auschecken, wenn früher "
         "gegangen wurde; No-Shows, Stornos und Zahlungsreservierungen zählen nicht."),
        ("occupancy_rate", "number", "booked_desk_hours / open_desk_hours (0–1); empty when "
         "nothing was open.", "booked_desk_hours / open_desk_hours (0–1); leer, wenn nichts "
         "geöffnet war."),
        ("visits", "integer", "Check-ins in the period (booked and walk-in), by local "
         "check-in time.", "Check-ins im Zeitraum (gebucht und spontan), nach lokaler "
         "Check-in-Zeit."),
        ("visit_hours", "number", "Summed length of those visits that have ended (check-in to "
         "check-out).", "Summierte Dauer der beendeten Besuche (Check-in bis Check-out)."),
        ("utilisation", "number", "visit_hours / open_desk_hours: presence against capacity; "
         "empty when nothing was open.", "visit_hours / open_desk_hours: Anwesenheit im "
         "Verhältnis zur Kapazität; leer, wenn nichts geöffnet war."),
        ("unique_members", "integer", "Distinct members with a visit or a desk booking in the "
         "period: what the row rests on, and what disclosure control counts.",
         "Verschiedene Mitglieder mit Besuch oder Platzbuchung im Zeitraum: worauf die Zeile "
         "beruht und was die Geheimhaltung zählt."),
        ("new_members", "integer", "Members whose first visit ever to this space falls in the "
         "period.", "Mitglieder, deren erster Besuch in diesem Space überhaupt in den Zeitraum "
         "fällt."),
        ("bookings", "integer", "Desk bookings starting in the period; payment holds that "
         "never became a booking left out.", "Platzbuchungen mit Beginn im Zeitraum, ohne "
         "Zahlungsreservierungen, die nie zur Buchung wurden."),
        ("cancellations", "integer", "Those bookings cancelled after they were confirmed.",
         "Davon nach der Bestätigung stornierte Buchungen."),
        ("mean_cancellation_lead_hours", "number", "Mean hours between a cancellation and the "
         "booking's start.", "Mittlere Stunden zwischen Storno und Buchungsbeginn."),
        ("no_shows", "integer", "Bookings nobody checked in for by the end of the grace "
         "period.", "Buchungen ohne Check-in bis zum Ende der Kulanzzeit."),
        ("no_show_rate", "number", "no_shows / (bookings − cancellations).",
         "no_shows / (bookings − cancellations)."),
        ("median_visit_hours", "number", "Median length of the ended visits.",
         "Median der Dauer der beendeten Besuche."),
        ("suppressed", "boolean", "true: a value was withheld: the row rests on 1 to "
         "min_cell − 1 members (or would reveal such a row, see below), its figures are empty. "
         "false: the figures are published; a period nobody used shows 0, not suppressed.",
         "true: ein Wert wurde zurückgehalten: die Zeile beruht auf 1 bis min_cell − 1 "
         "Mitgliedern (oder würde eine solche verraten, siehe unten), ihre Werte sind leer. "
         "false: die Werte sind veröffentlicht; ein Zeitraum ohne Nutzung zeigt 0, nicht "
         "suppressed."),
    ],
    "presence": [
        ("space", "string", "The space.", "Der Space."),
        ("weekday", "integer", "Local weekday, 0 = Monday … 6 = Sunday.",
         "Lokaler Wochentag, 0 = Montag … 6 = Sonntag."),
        ("hour", "integer", "Local clock hour, 0–23 (the hour from 09:00 to 10:00 is 9).",
         "Lokale Stunde, 0–23 (09:00 bis 10:00 ist 9)."),
        ("mean_present", "number", "Mean number of people present in that hour: the ended "
         "visits' time within it, divided by one hour times the number of such weekdays in "
         "the range.", "Mittlere Zahl anwesender Personen in dieser Stunde: die Zeit der "
         "beendeten Besuche darin, geteilt durch eine Stunde mal die Zahl solcher Wochentage "
         "im Zeitraum."),
        ("unique_members", "integer", "Distinct members present in that hour on any such day.",
         "Verschiedene Mitglieder, die in dieser Stunde an einem solchen Tag anwesend waren."),
        ("suppressed", "boolean", "As in space_metrics.", "Wie in space_metrics."),
    ],
    "visits": [
        ("pseudonym", "string", "HMAC-SHA256 of the member's id under the programme's secret "
         "key: the same member has the same pseudonym throughout an export and across exports "
         "made with the same key.", "HMAC-SHA256 der Mitglieds-ID mit dem geheimen Schlüssel "
         "des Programms: dasselbe Mitglied hat in einem Export und über Exporte mit demselben "
         "Schlüssel dasselbe Pseudonym."),
        ("space", "string", "The space.", "Der Space."),
        ("date", "date", "Local date of the check-in.", "Lokales Datum des Check-ins."),
        ("start_hour", "integer", "Local hour of the check-in (times are coarsened to the "
         "hour).", "Lokale Stunde des Check-ins (Zeiten auf die Stunde vergröbert)."),
        ("duration_quarters", "integer", "Length in quarter hours, rounded to the nearest.",
         "Dauer in Viertelstunden, gerundet."),
        ("kind", "string", "booked, or walk_in (no booking before, or taken at the front desk).",
         "booked (gebucht) oder walk_in (ohne vorherige Buchung oder spontan am Empfang)."),
    ],
    "profiles": [
        ("town", "string", "The town; a member counts in every town they visited in the range.",
         "Der Ort; ein Mitglied zählt in jedem Ort, den es im Zeitraum besucht hat."),
        ("question", "string", "The profile question (see below).", "Die Profilfrage (siehe unten)."),
        ("answer", "string", "The answer; no_answer when left empty.",
         "Die Antwort; no_answer, wenn offen gelassen."),
        ("members", "integer", "Consenting members with this answer.",
         "Einwilligende Mitglieder mit dieser Antwort."),
        ("suppressed", "boolean", "As in space_metrics.", "Wie in space_metrics."),
    ],
    "commute": [
        ("town", "string", "The town.", "Der Ort."),
        ("month", "yearmonth", "Local month.", "Lokaler Monat."),
        ("members", "integer", "Consenting members with a distance band who visited.",
         "Einwilligende Mitglieder mit Entfernungsangabe, die den Ort besucht haben."),
        ("visits", "integer", "Their visits.", "Ihre Besuche."),
        ("km_avoided", "number", "Car kilometres avoided: per visit twice the midpoint of the "
         "member's one-way distance band.", "Vermiedene Autokilometer: je Besuch das Doppelte "
         "der Mitte der Entfernungsstufe (einfache Strecke)."),
        ("kg_co2e", "number", f"km_avoided × {CAR_KG_CO2E_PER_KM} kg CO2e per km.",
         f"km_avoided × {CAR_KG_CO2E_PER_KM} kg CO2e je km."),
        ("suppressed", "boolean", "As in space_metrics.", "Wie in space_metrics."),
    ],
    "event_reach": event_reach.FIELDS,
}

DESCRIPTIONS = {
    "spaces": ("The pilot spaces and what research compares towns by.",
               "Die Pilot-Spaces und wonach die Forschung Orte vergleicht."),
    "space_metrics": ("Usage per space and local day, ISO week and month.",
                      "Nutzung je Space und lokalem Tag, ISO-Woche und Monat."),
    "presence": ("Mean people present per space, weekday and hour over the range.",
                 "Mittlere Anwesenheit je Space, Wochentag und Stunde im Zeitraum."),
    "visits": ("Pseudonymised visits of members who consent to research, and only theirs.",
               "Pseudonymisierte Besuche der Mitglieder, die in die Forschung eingewilligt "
               "haben, und nur ihre."),
    "profiles": ("Profile answers of consenting members, counted per town.",
                 "Profilangaben einwilligender Mitglieder, gezählt je Ort."),
    "commute": ("Commuting avoided by consenting members, per town and month.",
                "Vermiedenes Pendeln einwilligender Mitglieder je Ort und Monat."),
    "event_reach": event_reach.DESCRIPTION,
}

_TEXT = {
    "en": {
        "title": "Codebook: coworking in small towns",
        "range": "Range: {first} to {last} (local dates, both included). Cells resting on fewer "
                 "than {k} distinct members are suppressed (min_cell = {k}).",
        "time": "All dates, weeks, months, weekdays and hours are local to the space's time "
                "zone (Europe/Berlin): a visit at 00:30 belongs to that day, also in the night "
                "a clock changes. Figures are computed by the database from the booking and "
                "check-in records.",
        "disclosure": "Disclosure control",
        "disclosure_text": "A row (or cell) computed from fewer than min_cell distinct "
                           "members is published with empty figures and suppressed = true. "
                           "Where published figures add up to a published total, a reader "
                           "could recover a single suppressed figure by subtraction; so when "
                           "exactly one of the days of a published week or month of a space, "
                           "of the presence cells of a space, or of the answers to one "
                           "question in one town is suppressed, the one of the others with the "
                           "fewest members is suppressed too, repeated until no such group "
                           "has exactly one (secondary suppression); a figure of 0 is never "
                           "the one chosen, as hiding it would hide nothing. Cells no member "
                           "appears in are left out of presence and profiles.",
        "zero": "Suppressed or nothing happened",
        "zero_text": "Two things are kept apart. suppressed = true means a value exists but "
                     "was withheld: its cells are empty. A day, week or month nobody used "
                     "(no visit, no desk booking: unique_members = 0) withholds nothing about "
                     "anyone, so it is published with suppressed = false and its counts and "
                     "hours as 0. Where such a row has nothing to divide or to measure, the "
                     "rate or median is empty with suppressed = false: occupancy_rate and "
                     "utilisation when nothing was open, no_show_rate without kept bookings, "
                     "mean_cancellation_lead_hours without cancellations, median_visit_hours "
                     "without ended visits. An empty cell is therefore withheld only where "
                     "suppressed = true.",
        "windows": "Windows",
        "windows_text": "Figures are only published for whole periods. The range of an "
                        "export is widened to the whole months it touches (the range above is "
                        "the widened one); weeks that run past its first or last day are left "
                        "out rather than cut. The API widens `from` and `to` the same way to "
                        "whole periods of the granularity asked (day, ISO week, month). So a "
                        "period's figures are always the same, whichever window they come "
                        "from, and no two windows can be subtracted to recover a suppressed "
                        "day. Secondary suppression is decided over the whole months of the "
                        "range and their whole weeks, so a day is hidden alike in every "
                        "window that shows it.",
        "privacy": "Privacy",
        "privacy_text": "No names, e-mail addresses, free text or exact times are exported. "
                        "Visit records and profile answers come only from members who "
                        "consented and have not withdrawn; everyone counts in the aggregates.",
        "csv": "CSV files",
        "csv_text": "UTF-8, comma-separated, an empty cell for a missing value. Text cells "
                    "that begin with an equals, plus, minus or at sign, a tab or a carriage "
                    "return (a space or town named like a formula) carry a leading single "
                    "quote ('), so a spreadsheet shows them as text instead of running them; "
                    "drop that first character to get the text as entered. Figures "
                    "(integers, decimals) are never escaped.",
        "questions": "Profile questions and answers",
        "questions_text": "Each question as members saw it on their account page (in German "
                          "by default, in English if they chose English), and every answer "
                          "code of profiles.csv with the answer's text in both languages.",
        "question": "Question", "code": "Code",
        "other_outside": "(an answer the questionnaire no longer offers)",
        "other_too": "; also any answer the questionnaire no longer offers",
        "co2": "Commute and CO2e",
        "co2_text": "Distance bands (one way, km) and the midpoints used: {bands}. The factor "
                    "{factor} kg CO2e per passenger-kilometre is the Umweltbundesamt's mean "
                    "for cars (\"Vergleich der durchschnittlichen Emissionen einzelner "
                    "Verkehrsmittel im Personenverkehr\", TREMOD, reference year 2022); it "
                    "assumes every avoided trip would have been made alone by car, so it is "
                    "an upper estimate.",
        "column": "Column", "type": "Type", "meaning": "Meaning",
    },
    "de": {
        "title": "Codebuch: Coworking in Kleinstädten",
        "range": "Zeitraum: {first} bis {last} (lokale Daten, beide eingeschlossen). Zellen, "
                 "die auf weniger als {k} verschiedenen Mitgliedern beruhen, werden "
                 "unterdrückt (min_cell = {k}).",
        "time": "Alle Daten, Wochen, Monate, Wochentage und Stunden sind Ortszeit des Space "
                "(Europe/Berlin): ein Besuch um 00:30 gehört zu diesem Tag, auch in der Nacht "
                "der Zeitumstellung. Die Werte berechnet die Datenbank aus den Buchungs- und "
                "Check-in-Daten.",
        "disclosure": "Geheimhaltung",
        "disclosure_text": "Eine Zeile (oder Zelle), die auf weniger als min_cell "
                           "verschiedenen Mitgliedern beruht, erscheint mit leeren Werten und "
                           "suppressed = true. Wo veröffentlichte Werte eine veröffentlichte "
                           "Summe ergeben, ließe sich ein einzelner unterdrückter Wert durch "
                           "Subtraktion zurückrechnen; ist daher genau einer der Tage einer "
                           "veröffentlichten Woche oder eines Monats eines Space, der "
                           "Anwesenheitszellen eines Space oder der Antworten auf eine Frage "
                           "in einem Ort unterdrückt, wird der übrige mit den wenigsten "
                           "Mitgliedern ebenfalls unterdrückt, so lange, bis keine solche "
                           "Gruppe genau einen hat (sekundäre Geheimhaltung); ein Wert 0 wird "
                           "dafür nie gewählt, denn ihn zu verbergen verbärge nichts. Zellen "
                           "ohne Mitglieder fehlen in presence und profiles.",
        "zero": "Unterdrückt oder nichts geschehen",
        "zero_text": "Zweierlei wird auseinandergehalten. suppressed = true heißt: ein Wert "
                     "existiert, wurde aber zurückgehalten; seine Zellen sind leer. Ein Tag, "
                     "eine Woche oder ein Monat ohne Nutzung (kein Besuch, keine Platzbuchung: "
                     "unique_members = 0) verrät über niemanden etwas und erscheint daher mit "
                     "suppressed = false und den Zählungen und Stunden als 0. Wo eine solche "
                     "Zeile nichts zu teilen oder zu messen hat, ist die Quote oder der Median "
                     "leer, mit suppressed = false: occupancy_rate und utilisation, wenn nichts "
                     "geöffnet war, no_show_rate ohne gehaltene Buchungen, "
                     "mean_cancellation_lead_hours ohne Stornos, median_visit_hours ohne "
                     "beendete Besuche. Eine leere Zelle ist also nur bei suppressed = true "
                     "zurückgehalten.",
        "windows": "Zeitfenster",
        "windows_text": "Werte werden nur für ganze Zeiträume veröffentlicht. Der Zeitraum "
                        "eines Exports wird auf die ganzen Monate erweitert, die er berührt "
                        "(der Zeitraum oben ist der erweiterte); Wochen, die über seinen "
                        "ersten oder letzten Tag hinausreichen, fehlen, statt abgeschnitten zu "
                        "werden. Die API erweitert `from` und `to` ebenso auf ganze Zeiträume "
                        "der gewählten Granularität (Tag, ISO-Woche, Monat). So sind die Werte "
                        "eines Zeitraums immer dieselben, aus welchem Fenster sie auch kommen, "
                        "und kein unterdrückter Tag lässt sich durch Subtraktion zweier "
                        "Fenster zurückrechnen. Die sekundäre Geheimhaltung wird über die "
                        "ganzen Monate des Zeitraums und ihre ganzen Wochen entschieden; ein "
                        "Tag ist daher in jedem Fenster, das ihn zeigt, gleich verborgen.",
        "privacy": "Datenschutz",
        "privacy_text": "Es werden keine Namen, E-Mail-Adressen, Freitexte oder genauen "
                        "Uhrzeiten exportiert. Besuchsdaten und Profilangaben stammen nur von "
                        "Mitgliedern, die eingewilligt und nicht widerrufen haben; in den "
                        "Summen zählen alle.",
        "csv": "CSV-Dateien",
        "csv_text": "UTF-8, kommagetrennt, eine leere Zelle für einen fehlenden Wert. "
                    "Textzellen, die mit einem Gleichheits-, Plus-, Minus- oder At-Zeichen, "
                    "einem Tabulator oder einem Wagenrücklauf beginnen (ein Space oder Ort, "
                    "der wie eine Formel heißt), tragen ein vorangestelltes einfaches "
                    "Anführungszeichen ('), damit eine Tabellenkalkulation sie als Text "
                    "zeigt, statt sie auszuführen; ohne dieses erste Zeichen ergibt sich der "
                    "Text wie eingegeben. Werte (ganze Zahlen, Dezimalzahlen) werden nie so "
                    "markiert.",
        "questions": "Profilfragen und Antworten",
        "questions_text": "Jede Frage so, wie Mitglieder sie auf ihrer Kontoseite sahen "
                          "(deutsch voreingestellt, englisch, wenn sie Englisch gewählt "
                          "hatten), und jeder Antwortcode von profiles.csv mit dem Text der "
                          "Antwort in beiden Sprachen.",
        "question": "Frage", "code": "Code",
        "other_outside": "(eine Antwort, die der Fragebogen nicht mehr anbietet)",
        "other_too": "; auch jede Antwort, die der Fragebogen nicht mehr anbietet",
        "co2": "Pendeln und CO2e",
        "co2_text": "Entfernungsstufen (einfach, km) und die verwendeten Mitten: {bands}. Der "
                    "Faktor {factor} kg CO2e je Personenkilometer ist der Mittelwert des "
                    "Umweltbundesamts für Pkw („Vergleich der durchschnittlichen Emissionen "
                    "einzelner Verkehrsmittel im Personenverkehr“, TREMOD, Bezugsjahr 2022); "
                    "er nimmt an, dass jede vermiedene Fahrt allein im Auto gemacht worden "
                    "wäre, ist also eine Obergrenze.",
        "column": "Spalte", "type": "Typ", "meaning": "Bedeutung",
    },
}


def markdown(first, last, min_cell):
    """codebook.md: the German part first, then the English one."""
    lines = []
    for language in ("de", "en"):
        text = _TEXT[language]
        meaning = 2 if language == "en" else 3
        description = 0 if language == "en" else 1
        lines += [f"# {text['title']} ({language})", "",
                  text["range"].format(first=first, last=last, k=min_cell), "",
                  text["time"], ""]
        for resource, fields in RESOURCES.items():
            lines += [f"## {resource}.csv", "", DESCRIPTIONS[resource][description], "",
                      f"| {text['column']} | {text['type']} | {text['meaning']} |",
                      "| --- | --- | --- |"]
            lines += [f"| {field[0]} | {field[1]} | {field[meaning]} |" for field in fields]
            lines.append("")
        bands = ", ".join(f"{band} → {middle}" for band, middle in COMMUTE_BAND_MIDPOINTS_KM.items())
        lines += [f"## {text['disclosure']}", "", text["disclosure_text"], "",
                  f"## {text['zero']}", "", text["zero_text"], "",
                  f"## {text['windows']}", "", text["windows_text"], "",
                  f"## {text['privacy']}", "", text["privacy_text"], "",
                  f"## {text['csv']}", "", text["csv_text"], "",
                  f"## {text['questions']}", "", text["questions_text"], ""]
        lines += _questions(language)
        lines += [f"## {text['co2']}", "",
                  text["co2_text"].format(bands=bands, factor=CAR_KG_CO2E_PER_KM), ""]
    return "\n".join(lines)


def _in(language, text):
    with force_locale(language):
        return str(text)


def answer_codes(question):
    """[(code, German, English)] of one question: the form's choices, `other` once (it also
    takes answers the questionnaire no longer offers) and `no_answer`."""
    notes = {language: _TEXT[language] for language in ("de", "en")}
    codes = []
    for code, label in QUESTIONS[question].items():
        de, en = _in("de", label), _in("en", label)
        if code == OTHER:
            de, en = de + notes["de"]["other_too"], en + notes["en"]["other_too"]
        codes.append((code, de, en))
    if OTHER not in QUESTIONS[question]:
        codes.append((OTHER, notes["de"]["other_outside"], notes["en"]["other_outside"]))
    codes.append((NO_ANSWER, _in("de", NO_ANSWER_TEXT), _in("en", NO_ANSWER_TEXT)))
    return codes


def _questions(language):
    """Per question its wording in both languages and a table of its answer codes."""
    text = _TEXT[language]
    lines = []
    for question in QUESTIONS:
        wording = QUESTION_TEXTS[question]
        lines += [f"### {question}", "",
                  f"- {text['question']} (de): „{_in('de', wording)}“",
                  f"- {text['question']} (en): “{_in('en', wording)}”", "",
                  f"| {text['code']} | Deutsch | English |", "| --- | --- | --- |"]
        lines += [f"| {code} | {de} | {en} |" for code, de, en in answer_codes(question)]
        lines.append("")
    return lines


def table_schema(resource):
    fields = [{"name": name, "type": kind, "description": english}
              for name, kind, english, _german in RESOURCES[resource]]
    schema = {"fields": fields, "missingValues": [""]}
    keys = {"space_metrics": ["space", "granularity", "period_start"],
            "presence": ["space", "weekday", "hour"], "spaces": ["space"],
            "profiles": ["town", "question", "answer"], "commute": ["town", "month"],
            "event_reach": event_reach.KEY}
    if resource in keys:
        schema["primaryKey"] = keys[resource]
    if resource in ("space_metrics", "presence", "visits"):
        schema["foreignKeys"] = [{"fields": "space",
                                  "reference": {"resource": "spaces", "fields": "space"}}]
    return schema
