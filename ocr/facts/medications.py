"""Medications and immunizations from clinical text."""

from __future__ import annotations

import re
from dataclasses import replace

from ocr.facts import confidence
from ocr.facts.clinical_data import AS_NEEDED, CONDITIONS, DRUGS, FREQUENCIES, ROUTES, VACCINES
from ocr.facts.dates import find_dates
from ocr.facts.model import Immunization, Medication
from ocr.facts.sections import Section
from ocr.facts.spans import Text, split_items

_UNIT = (r"(?:mg|mcg|µg|ug|g|gm|grams?|ml|units?|iu|meq|%|mmol)"
         r"(?:\s*/\s*(?:ml|\d*\s?ml|actuation|act|dose|spray|puff|hr|h|kg|tab|cap))?")  # fmt: skip
# Not a concentration per litre or decilitre: "Potassium 4.2 mmol/L" is a lab result.
_STRENGTH = re.compile(rf"(?<![\w.])\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)?\s*{_UNIT}"
                       r"(?![\w])(?!\s*/\s*d?l\b)", re.IGNORECASE)  # fmt: skip
_DOSE = re.compile(
    r"(?<![\w.])(?:take\s+|inhale\s+|apply\s+|inject\s+|use\s+)?(?:\d+(?:\.\d+)?|one|two|three|four"
    r"|half|1/2|½)(?:\s*(?:-|to|or)\s*(?:\d+|two|three))?\s*(?:tablets?|tabs?|caps?|capsules?"
    r"|puffs?|sprays?|drops?|patch(?:es)?|units?|ml|teaspoons?|tsp|tablespoons?|inhalations?"
    r"|pills?|vials?|injections?|applications?|packets?)\b",
    re.IGNORECASE,
)
_ROUTE = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(r) for r in sorted(ROUTES, key=len,
                    reverse=True)) + r")(?![\w])", re.IGNORECASE)  # fmt: skip
_FREQUENCIES = [
    (re.compile(rf"(?<![\w])(?:{p})(?![\w])", re.IGNORECASE), n) for p, n in FREQUENCIES
]
_AS_NEEDED = re.compile(AS_NEEDED, re.IGNORECASE)
_STOPPED = re.compile(r"\b(?:discontinued|discontinue|stopped|stop\s+taking|d/c(?:'?d)?|dc'?d"
                      r"|no\s+longer\s+taking|held|on\s+hold|hold)\b", re.IGNORECASE)  # fmt: skip
_REFUSED = re.compile(r"\b(?:refused|refuses|declined|declines)\b", re.IGNORECASE)
_NUMBERING = re.compile(r"\s*(?:\d{1,2}[.)]\s*|[-*•·]\s*|(?:rx|take)\s*[:.]?\s+)", re.IGNORECASE)
_NO_MEDS = re.compile(r"^(?:none|no\s+(?:current\s+)?medications?|denies|nil|n/?a|no\s+meds)\b",
                      re.IGNORECASE)  # fmt: skip
_FORMS = re.compile(
    r"(?:\s+(?:tablets?|tabs?|capsules?|caps?|solution|suspension|injection"
    r"|inhaler|cream|ointment|patch|oral|po|liquid|syrup|drops))+$",
    re.IGNORECASE,
)
_SIG = re.compile(r"^\s*(?:sig|directions|instructions)\s*[:.]\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w\-/']*")
_MAX_NAME_WORDS = 5
_WORD_OR_NUMBER = re.compile(r"[\w\-/'.]+|[(\[:#]")
# Words of a sentence about the medications, which a medication's name does not contain.
_NOT_A_NAME = re.compile(
    r"\b(?:is|are|was|were|currently|patient|he|she|they|from|around|the|has|had|medications?"
    r"|meds|also|no|not|none|takes?|taking|using|uses"
    # words of a sentence about medicines, never in a product's name ("Changes include
    # reduction in prednisone", "Total time for this discharge", "Listed in the records",
    # "Significant for asthma", "doxycycline level obtained")
    r"|changes?|include[sd]?|reduction|total|time|listed|significant|level|obtained)\b",
    re.IGNORECASE,
)
_INTRO = re.compile(
    r"^.{0,40}?\b(?:medications?|meds)\b.{0,25}?\b(?:are|is|include[sd]?|consists?\s+of)\s*:?\s+"
    r"|^(?:the|his|her|a|an)\s+"
    r"|^(?:include[sd]?|including)\s*:?\s+(?=\w)",  # "Include metoprolol 100 mg"
    re.IGNORECASE,
)
_NAME_STOPS = {
    "for", "take", "takes", "taking", "by", "as", "with", "every", "daily", "once", "twice",
    "at", "in", "per", "x", "one", "two", "three", "four", "half", "(", "[", ":", "#", "and",
    "which", "that", "prn", "q", "qd", "bid", "tid", "qid", "qhs", "each", "up", "to", "on",
    "dose", "tablet", "tablets", "tab", "tabs", "capsule", "capsules", "cap", "caps", "sig",
    "then", "dr", "dr.",  # "Dr. XYZ in 2 to 3 days" (not "Depakote DR")
}  # fmt: skip
_NOT_MEDICATIONS = re.compile(r"\b(?:anesthesia|sedation|anesthetic|none|see\s+(?:above|below))\b",
                              re.IGNORECASE)  # fmt: skip

_CONDITION_NAMES = frozenset(CONDITIONS)
_NOT_DRUG_WORDS = {
    "monday", "mondays", "tuesday", "tuesdays", "wednesday", "wednesdays", "thursday",
    "thursdays", "friday", "fridays", "saturday", "saturdays", "sunday", "sundays", "refer",
    "referral", "continue", "resume", "increase", "decrease", "change", "stop", "start", "hold",
    "same", "other", "pain", "vascular", "nails", "disease", "findings", "include", "includes",
    "patient", "follow", "return", "see", "plan", "diet", "exercise", "therapy", "daily",
}  # fmt: skip
_NOT_DRUG_ENDINGS = re.compile(r"(?:itis|osis|emia|pathy|ectomy|otomy|plasty|scopy)\b")
_VACCINE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(v) for v in sorted(VACCINES, key=len,
                      reverse=True)) + r")(?![\w-])", re.IGNORECASE)  # fmt: skip
_VACCINE_CONTEXT = re.compile(r"\b(?:vaccin\w*|immuni[sz]\w*|shot|dose|booster|given|administered"
                              r"|received|inoculat\w*)\b", re.IGNORECASE)  # fmt: skip
_DOSE_NUMBER = re.compile(r"\bdose\s*(?:#|no\.?|number)?\s*(\d)\b|#\s*(\d)\b|\b(\d)(?:st|nd|rd|th)"
                          r"\s+dose\b|\bdose\s+(one|two|three|four)\b", re.IGNORECASE)  # fmt: skip
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}
_NOT_GIVEN = re.compile(r"\b(?:not\s+given|not\s+administered|deferred|contraindicated)\b", re.I)


def find_medications(doc: Text, sections: list[Section]) -> list[Medication]:
    """Medications listed in medication sections, named with a strength elsewhere, and the
    directions (`Sig:`) printed under them."""
    text = doc.text
    found: list[Medication] = []
    for section in sections:
        listed = section.kind in ("medications", "stopped medications")
        spans = _unwrapped(text, section.spans) if listed else section.spans
        for start, end in spans:
            sig = _SIG.match(text[start:end])
            if sig and found:
                found[-1] = _with_sig(found[-1], text[start + sig.end() : end])
                continue
            for a, b in _med_items(text, start, end, listed):
                medication = _medication(doc, a, b, listed, section.kind == "stopped medications")
                if medication is not None:
                    found.append(medication)
    unique: dict[tuple[str, str | None], Medication] = {}
    for medication in found:
        unique.setdefault((medication.name.lower(), medication.strength), medication)
    return list(unique.values())


_JOINING = re.compile(
    r"\b(?:and|or|of|the|on|to|with|for|every|at|in|then|a|per|plus|other)\s*$", re.IGNORECASE
)
_WEEKDAY = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|weekends?\b|weekdays?\b", re.IGNORECASE
)


def _unwrapped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lines of a medication list with the lines a long item wrapped onto joined to it: after a
    line ending in a joining word ("... on Mondays and" / "Fridays ..."), or a line starting in
    lower case with no drug's name ("... 1 tablet" / "b.i.d. on Mondays"). One drug a line
    stays one drug a line, lower case or not."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and "\n" in text[out[-1][1] : start] and _wraps(text, out[-1], start, end):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _wraps(text: str, above: tuple[int, int], start: int, end: int) -> bool:
    line = text[start:end]
    numbering = _NUMBERING.match(line)
    if numbering and numbering.group().strip():
        return False  # "2. Lisinopril": a new item
    previous = text[above[0] : above[1]].rstrip()
    if _JOINING.search(previous):
        return True
    first = _WORD.match(line)
    return (
        first is not None
        and first.group()[0].islower()
        and not _is_drug(first.group())
        and not previous.endswith((".", ":", ";"))
    )


def _med_items(text: str, start: int, end: int, listed: bool) -> list[tuple[int, int]]:
    """Items of a logical line: one medication each (commas split only between drugs)."""
    if not listed:
        order = _order_at(text, start, end)
        if order is not None:
            # "Apply Aristocort ointment 0.1% and equal part of Polysporin ointment t.i.d.": a
            # second, known product joined to the order is one of its own
            joined = _JOINED_DRUG.search(text, order[0], order[1])
            if joined is not None and _is_drug(joined["drug"]):
                return [order, (joined.start("drug"), order[1])]
            return [order]
        starts: list[int] = []
        last_end = -1
        for m in _WORD.finditer(text, start, end):
            if not _is_drug(m.group()):
                continue
            if not (starts and not text[last_end : m.start()].strip()):
                starts.append(m.start())  # "docusate sodium": one drug of two drug words
            last_end = m.end()
        return list(zip(starts, [*starts[1:], end], strict=False))
    pieces = split_items(text, start, end)
    items: list[tuple[int, int]] = []
    for a, b in pieces:
        piece = re.sub(r"^(?:the|his|her)\s+", "", text[a:b], flags=re.IGNORECASE)
        first = _WORD.match(piece)
        new = (
            first is not None
            and not _FREQ_OR_ROUTE(piece)
            and not _WEEKDAY.match(piece)  # "... 1500 mg on Mondays and Fridays and 1000 mg"
            and (
                _is_drug(first.group())
                or first.group()[0].isupper()
                or _STRENGTH.search(piece) is not None
                # "…, saw palmetto q.d., …": a name with a schedule of its own
                or (
                    text[max(start, a - 3) : a].strip().endswith(",")
                    and _named_with_schedule(piece)
                )
            )
        )
        if items and not new:
            items[-1] = (items[-1][0], b)
        else:
            items.append((a, b))
    return items


def _named_with_schedule(piece: str) -> bool:
    """Whether a piece of a medication list is a name of one to three words followed by its
    schedule ("saw palmetto q.d."), not a run-on of the item before it."""
    schedule = _first_frequency(piece)
    if schedule is None or schedule.start() == 0:
        return False
    name = piece[: schedule.start()].strip()
    if name.split(" ", 1)[0].lower() in _NAME_STOPS:
        return False  # "…, one q.3 h. p.r.n.": the dose of the item before
    return bool(re.fullmatch(r"[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,2}", name)) and not (
        _not_a_drug(name) or _WEEKDAY.search(name)
    )


# An order in a plan: a product's name opening the item, its strength, then how it is taken
# ("Duricef 1 g daily for seven days.", "Omnicef 300 mg daily for 10 days.").
_ORDER = re.compile(
    r"(?:(?i:apply|take|use|start|begin|continue|give)\s+)?"  # "Apply Aristocort ointment 0.1%"
    rf"(?P<name>[A-Z][a-z][\w\-]*)\s+(?:(?:cream|ointment|lotion|gel|tablets?|capsules?|patch"
    r"|solution|suspension|drops|inhaler|spray)\s+)?"
    rf"(?P<strength>\d+(?:[.,]\d+)?\s*{_UNIT})(?![\w])"
    r"\s+(?:p\.?o\.?\s+|by\s+mouth\s+|orally\s+)?(?=\S)"
)


_JOINED_DRUG = re.compile(
    r"\s(?:and|plus|with)\s+(?:(?:an?\s+)?equal\s+parts?\s+(?:of\s+)?|some\s+)?"
    r"(?P<drug>[A-Za-z][\w\-]*)",
    re.IGNORECASE,
)


def _FREQ_OR_ROUTE(piece: str) -> bool:
    return any(p.match(piece.strip()) for p, _ in _FREQUENCIES) or bool(_ROUTE.match(piece.strip()))


def _order_at(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The item when a sentence or numbered item is an order of a product the drug list does
    not know: its name first, a strength, then a schedule or route."""
    numbering = _NUMBERING.match(text, start, end)
    begin = numbering.end() if numbering else start
    order = _ORDER.match(text, begin, end)
    if order is None or _is_drug(order["name"]) or _not_a_drug(order["name"]):
        return None
    if order["name"].lower() in ("apply", "take", "use", "start", "begin", "continue", "give"):
        return None
    rest = text[order.end("strength") : end]
    if _first_frequency(rest[:60]) is None and not _ROUTE.search(rest[:20]):
        return None
    return (order.start("name") if order.start("name") > begin else start), end


# Words just before a known drug's name in a sentence that say the patient takes it ("She
# takes aspirin daily", "was started on Coumadin", "treated with Bactrim").
_TAKING = re.compile(
    r"\b(?:takes|taking|took|on|started|starting|continue[sd]?|continuing|using|uses|given"
    r"|prescribed|receiving|received|treated\s+with|put\s+on|placed\s+on"
    r"|doing|been\s+on)\s+(?:(?:a|an|the|his|her|some|daily|low-dose|baby|oral|IV|p\.?o\.?)\s+)?$",
    re.IGNORECASE,
)
# … unless the clause says it is not taken, or is about something else.
_NOT_TAKEN = re.compile(
    r"\b(?:no|not|never|denies|denied|stopped|discontinued|off|hold|held|allergic|allergy"
    r"|intoleran\w*|instead|avoid|refused|declined|failed|without|if|should|would|could|may"
    r"|consider|recommend\w*|will|plan|prior|previously|before|ago|mother|father|family"
    r"|husband|wife|son|daughter)\b",
    re.IGNORECASE,
)


def _taken(text: str, start: int, end: int) -> bool:
    """Whether the sentence says the patient takes the drug named at `start`."""
    line_start = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - 80) + 1
    before = text[line_start:start]
    stop = re.compile(r"[.;\n]").search(text, start)
    after = text[start : stop.start() if stop else end]
    if _STOPPED_AFTER.search(after):
        return False
    may = _MAY_USE.search(before)
    if may is not None:  # "May use some Zyrtec for the itching": allowed, in a plan
        return not _NOT_TAKEN.search(before[: may.start()])
    clause = _clause_before(text, start)
    if _AND_BEFORE.search(clause) and _order_at(text, start - len(clause), end) is not None:
        return True  # "Apply Aristocort ointment 0.1% and equal part of Polysporin ointment"
    word = _WORD.match(text, start)
    if word is not None and _GIVEN_BY.match(text, word.end()):
        # "…, Ativan 2 mg q.4 h., Tylenol per rectum": a known drug given by a route
        return not _NOT_TAKEN.search(clause)
    return bool(_TAKING.search(before)) and not _NOT_TAKEN.search(before)


_AND_BEFORE = re.compile(r"\s(?:and|plus)\s+(?:(?:an?\s+)?equal\s+parts?\s+(?:of\s+)?)?$", re.I)
# "may use some", "can take": a drug the plan allows, taken when needed.
_MAY_USE = re.compile(r"\b(?:may|can)\s+(?:use|take|try)\s+(?:some\s+|an?\s+)?$", re.IGNORECASE)
# A route right after a drug's name ("Tylenol per rectum", "morphine IV").
_GIVEN_BY = re.compile(
    r"\s+(?:per\s+rectum|rectally|p\.\s?r\.(?!\s?n)|PR(?=[\s,.;])|intravenously"
    r"|i\.?v\.?(?=[\s,.;])"
    r"|per\s+(?:os|mouth|g-?tube|ng\s+tube)|by\s+mouth|orally|sublingually|topically)",
    re.IGNORECASE,
)


def _clause_before(text: str, start: int) -> str:
    """The sentence before `start`, back to a full stop followed by a capital letter or a line
    break (not the stops inside "q.4 h." or "0.1%")."""
    window = text[max(0, start - 200) : start]
    breaks = list(re.finditer(r"[.;!?]\s+(?=[A-Z])|\n", window))
    return window[breaks[-1].end() :] if breaks else window


# Said after the drug in its sentence: it was stopped, or did not help ("Prozac for a while,
# but this was then stopped").
_STOPPED_AFTER = re.compile(
    r"\b(?:stopped|discontinued|held|did\s+not\s+help|didn't\s+help|was\s+changed"
    r"|without\s+(?:much\s+)?(?:improvement|relief|benefit)|no\s+relief)\b",
    re.IGNORECASE,
)


def _drug_words(name: str) -> str:
    """The drug's own words of a name read from a sentence ("Percocet only" -> "Percocet",
    "Bactrim DS", "isosorbide mononitrate")."""
    words = re.findall(r"[A-Za-z][\w\-]*", name)
    kept = words[:1]
    for word in words[1:]:
        if _is_drug(word) or re.fullmatch(r"[A-Z]{2,3}", word) or word.lower() in ("drip",):
            kept.append(word)
        else:
            break
    return " ".join(kept)


def _is_drug(word: str) -> bool:
    return word.lower().strip("-/") in DRUGS


def _medication(doc: Text, start: int, end: int, listed: bool, stopped: bool) -> Medication | None:
    item = doc.text[start:end]
    numbering = _NUMBERING.match(item)
    offset = numbering.end() if numbering else 0
    body = item[offset:].strip(" .,;")
    intro = _INTRO.match(body)
    if intro:  # "Her only medication currently is Allegra"
        offset += item[offset:].find(body) + intro.end()
        body = body[intro.end() :]
    if not body or _NO_MEDS.match(body) or _NOT_MEDICATIONS.search(body[:40]):
        return None
    strength = _STRENGTH.search(body)
    name_end = _name_end(body)
    name = _FORMS.sub("", body[:name_end].strip(" ,-")).strip(" ,-.")
    words = name.split()
    if (words and words[0].lower() in _NAME_STOPS) or _NOT_A_NAME.search(name):
        return None
    if not words or not re.match(r"[A-Za-z]", name) or len(words) > _MAX_NAME_WORDS:
        return None
    drug = any(_is_drug(w) for w in re.findall(r"[A-Za-z][\w\-]*", name))
    taken = not listed and drug and not strength and _taken(doc.text, start, end)
    if taken:  # "Coumadin because of atrial fibrillation": the drug's words only
        name = _drug_words(name)
    if (
        not listed
        and not (drug and strength)
        and not taken
        and _order_at(doc.text, start, end) is None
    ):
        return None  # in prose, a known drug with a strength, or one said to be taken
    if listed and not drug and not strength and len(body.split()) > _MAX_NAME_WORDS + 3:
        return None  # a sentence in a medication section, not a list item
    if not drug and not strength and _not_a_drug(name):
        return None  # "Wednesdays", "Refer", "Peripheral vascular disease", "P"
    medication = Medication(
        name=name,
        citation=doc.cite(start + offset, end),
        strength=_spaced(strength.group()) if strength else None,
        confidence=confidence.medication(
            listed=listed, known_drug=drug, strength=bool(strength), said=taken
        ),
    )
    medication = _with_sig(medication, body[name_end:])
    if stopped or _STOPPED.search(body):
        medication = replace(medication, status="stopped")
    elif _REFUSED.search(body):
        medication = replace(medication, status="refused")
    return medication


def _not_a_drug(name: str) -> bool:
    """Whether an unknown name without a strength is a word of a schedule, a plan, a
    diagnosis or a sentence rather than a product's name."""
    lowered = name.lower().strip(" .,;:")
    words = lowered.split()
    if len(re.sub(r"[^a-z]", "", lowered)) < 3 or len(words) > 3:
        return True
    if lowered in _CONDITION_NAMES or any(w in _NOT_DRUG_WORDS for w in words):
        return True
    return bool(_NOT_DRUG_ENDINGS.search(lowered))


def strength_in(text: str) -> str | None:
    """The strength printed in a medication's name or line ("lisinopril 10 MG Oral Tablet")."""
    found = _STRENGTH.search(text)
    return _spaced(found.group()) if found else None


def _name_end(body: str) -> int:
    """Where a medication's name ends: at its strength, dose, route, timing or a remark."""
    for word in _WORD_OR_NUMBER.finditer(body):
        text = word.group().lower()
        if word.start() and (text in _NAME_STOPS or text[0].isdigit() or _ROUTE.fullmatch(text)):
            return word.start()
        if word.start() and (_first_frequency(text) or _AS_NEEDED.match(text)):
            return word.start()
    return len(body)


def _with_sig(medication: Medication, sig: str) -> Medication:
    """`medication` with dose, route, frequency and as-needed read from its directions."""
    dose = _DOSE.search(sig)
    route = _ROUTE.search(sig)
    frequency = _first_frequency(sig)
    normal = None
    if frequency is not None:
        normal = next(frequency.expand(n) for p, n in _FREQUENCIES if p is frequency.re)
    instructions = sig.strip(" ,.;-") or None
    return replace(
        medication,
        dose=medication.dose or (_spaced(dose.group()) if dose else None),
        route=medication.route or (ROUTES[route.group().lower()] if route else None),
        frequency=medication.frequency or normal,
        as_needed=medication.as_needed or bool(_AS_NEEDED.search(sig)),
        instructions=medication.instructions or instructions,
    )


def _first_frequency(text: str) -> re.Match[str] | None:
    matches = [m for p, _ in _FREQUENCIES if (m := p.search(text))]
    return min(matches, key=lambda m: (m.start(), -len(m.group()))) if matches else None


def _spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def find_immunizations(doc: Text, sections: list[Section]) -> list[Immunization]:
    """Vaccines given or refused, with date and dose number when printed."""
    text = doc.text
    found: dict[tuple[str, object], Immunization] = {}
    for section in sections:
        listed = section.kind == "immunizations"
        for start, end in section.spans:
            line = text[start:end]
            vaccine = _VACCINE.search(line)
            if vaccine is None or (not listed and not _VACCINE_CONTEXT.search(line)):
                continue
            if (
                not listed
                and vaccine.group().lower() in ("flu", "td")
                and "vaccin" not in line.lower()
            ):
                continue
            dates = [d for d, _, _ in find_dates(line)]
            status = "completed"
            if _REFUSED.search(line):
                status = "refused"
            elif _NOT_GIVEN.search(line):
                status = "not given"
            number = _dose_number(line)
            name = VACCINES[vaccine.group().lower()]
            series = len(dates) > 1 and number is None
            for index, given in enumerate(dates or [None]):
                immunization = Immunization(
                    name, doc.cite(start, end), given=given,
                    dose_number=index + 1 if series else number, status=status,
                    confidence=confidence.immunization(listed=listed, dated=given is not None),
                )  # fmt: skip
                found.setdefault((name, given or start), immunization)
    return list(found.values())


def _dose_number(line: str) -> int | None:
    found = _DOSE_NUMBER.search(line)
    if found is None:
        return None
    value = next(g for g in found.groups() if g)
    return _WORDS.get(value.lower()) or int(value)
