"""Whether a mention in clinical prose is the patient's: negated, family, possible, or present.

NegEx-style: a trigger before the mention in the same clause ("denies", "no history of",
"negative for"), or after it ("… was ruled out"), changes the assertion; a conjunction
such as "but" or a full stop ends a trigger's reach.
"""

from __future__ import annotations

import re

_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|denies|denied|deny|denying|without|negative(?:\s+for)?|no\s+evidence\s+of"
    r"|no\s+(?:prior\s+|past\s+|previous\s+|known\s+)?(?:history|hx)\s+of|no\s+signs?\s+of"
    r"|no\s+symptoms\s+of|absence\s+of|free\s+of|never\s+had|never|(?:does|did|do)\s*(?:not|n't)\s+have"
    r"|has\s+no|had\s+no|with\s+no|ruled\s+out|rules\s+out|ruling\s+out|excluded|nor"
    r"|not\s+have|not\s+had|negative\s+history\s+of|non-?contributory\s+for"
    # the doctor doubts it ("I doubt that this represents appendicitis")
    r"|doubts?|doubtful)\b",
    re.IGNORECASE,
)
_NEGATED_AFTER = re.compile(
    r"^[\s,]*(?:(?:was|were|is|are|has\s+been|have\s+been|had\s+been|being)\s+)?"
    r"(?:ruled\s+out|excluded|unlikely|negative|not\s+(?:seen|present|found|identified|detected)"
    r"|absent|denied)\b",
    re.IGNORECASE,
)
_POSSIBLE = re.compile(
    r"\b(?:rule\s+out|r/o|possible|possibly|probable|suspected|suspect|suspicion\s+of"
    r"|questionable|concern\s+for|concerning\s+for|evaluate\s+for|evaluation\s+for|cannot\s+exclude"
    r"|may\s+have|risks?\s+of|at\s+risk\s+for|question\s+of|if\s+(?:he|she|they|you|(?:the\s+)?patient)"
    r"\s+(?:has|develops|should|were\s+to|gets)"
    # a hedge: what may explain a finding, not what the patient has ("an inflammatory process
    # such as infection or ischemia must be considered", "probably just some BPH")
    r"|such\s+as|possibility\s+of|probably|likely|suspicious\s+for|versus|vs\.?"
    r"|likelihood\s+(?:of|for)|risk\s+for|chance\s+of|presumably|presumed"
    r"|(?:concerned|worried)\s+(?:that|about)|precursor\s+(?:for|of|to)"
    r"|differential(?:\s+diagnosis)?(?:\s+(?:includes?|of))?"
    # what might happen: a condition ("if her shortness of breath worsens"), the risks of a
    # procedure, a drug's side effects ("Toxicities would include fatigue, nausea")
    r"|if\s+(?:his|her|their|the|any|there)|risks?\s+(?:include[sd]?|including)"
    r"|(?:side|adverse)\s+effects?|toxicit(?:y|ies)|would\s+include|can\s+cause|may\s+cause"
    r"|could\s+(?:be|cause|represent)"
    # a screening, a prevention or a teaching about it, not a diagnosis ("We will screen her
    # for osteoporosis", "a flu shot to prevent influenza", "I explained the signs of stroke")
    r"|screen(?:ed|ing)?\s+(?:(?:him|her|them|the\s+patient)\s+)?for|prevent(?:s|ing|ion\s+of)?"
    r"|explained|educated|taught)\b",
    re.IGNORECASE,
)
# Said after a mention: it is a question, not a finding ("… must be considered").
_POSSIBLE_AFTER = re.compile(
    r"^[\s,]*(?:\?|is\s+possible|is\s+suspected|(?:is|are)\s+(?:likely|probable|considered)"
    r"|(?:must|should|will|is\s+to)\s+be\s+(?:considered|excluded|ruled\s+out)"
    r"|cannot\s+be\s+(?:excluded|ruled\s+out)|(?:versus|vs\.?)\s)",
    re.IGNORECASE,
)
_FAMILY = re.compile(
    r"\b(?:family\s+history|fh|fhx|mother|mom|father|dad|brother|sister|siblings?|son|daughter"
    r"|grandmother|grandfather|grandparents?|aunt|uncle|cousin|maternal|paternal|parents?)\b",
    re.IGNORECASE,
)
# A relative named after the mention ("a history of gallstone pancreatitis in the patient's
# sister").
_FAMILY_AFTER = re.compile(
    r"^[\s,]*(?:in|of|on)\s+(?:(?:the\s+)?patient's|his|her|their|a|the)\s+(?:\w+\s+)?"
    r"(?:family|relatives?|mother|mom|father|dad|brothers?|sisters?|siblings?|sons?|daughters?"
    r"|grandmother|grandfather|grandparents?|aunts?|uncles?|cousins?|parents?)\b",
    re.IGNORECASE,
)
_HISTORY = re.compile(r"\b(?:history\s+of|h/o|hx\s+of|past|previous|prior|status\s+post|s/p)\b",
                      re.IGNORECASE)  # fmt: skip
# Words and marks that end the reach of a trigger.
_END = re.compile(
    r"[.;:!?\n]|\b(?:but|however|although|though|except|apart\s+from|aside\s+from|which|who"
    r"|presents?|presented|complains?|reports?|secondary\s+to|due\s+to|and\s+has|now\s+has)\b",
    re.IGNORECASE,
)
_WINDOW = 100
_LIST_WINDOW = 400


def _unwrapped(text: str, start: int, end: int) -> str:
    """`text` with the line breaks inside a sentence (a printed paragraph wrapping onto the
    next line) read as spaces, around `start:end` (same length, same offsets): "She denies
    liver disease, kidney / disease, …, HIV and gout" denies all of it, wrap or not."""
    low, high = max(0, start - _LIST_WINDOW), min(len(text), end + _WINDOW)
    window = _SOFT_BREAK.sub(lambda m: " " * len(m.group()), text[low:high])
    window = _WRAPPED.sub(lambda m: m.group()[:-1] + " ", window)
    return text[:low] + window + text[high:]


# A line of a printed paragraph that the page's width broke, not its writer: long, and not
# ending a sentence ("… which is probably just some" / "BPH. We will …").
_WRAPPED = re.compile(r"(?m)^[^\n]{60,}[\w,)]\n")


# A break inside a sentence: before a line that goes on in lower case, or after a line that
# ends on a comma or a word that cannot end one ("She denies liver disease, kidney" /
# "disease, …"). A list printed one item a line without punctuation keeps its breaks.
_SOFT_BREAK = re.compile(
    r"\n(?=[ \t]*[a-z])|(?i:(?<=,)|(?<=\band)|(?<=\bor)|(?<=\bof)|(?<=\bwith)|(?<=\bno)"
    r"|(?<=\bnot)|(?<=\bdenies)|(?<=\bthe)|(?<=\bfor)|(?<=\bnor))[ \t]*\n"
)


def assertion(text: str, start: int, end: int, family_section: bool = False) -> str:
    """ "present", "absent", "family" or "possible" for the mention `text[start:end]`."""
    text = _unwrapped(text, start, end)
    clause_start = max(0, start - _WINDOW)
    ends = list(_END.finditer(text, clause_start, start))
    if ends:
        clause_start = ends[-1].end()
    before = text[clause_start:start]
    after_end = _END.search(text, end)
    after = text[end : after_end.start() if after_end else min(len(text), end + _WINDOW)]
    if family_section or _FAMILY.search(before) or _FAMILY_AFTER.match(after):
        return "family"
    # "Rule out" is a question, "ruled out" an answer: test the answer first.
    if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.match(after) or _denied_list(text, start):
        return "absent"
    if (
        _POSSIBLE.search(before)
        or _POSSIBLE_AFTER.match(after)
        or _listed_after(text, start, _POSSIBLE)
    ):
        return "possible"
    return "present"


def _denied_list(text: str, start: int) -> bool:
    """Whether the mention is an item of a long list a denial opens, beyond the usual reach
    ("She denies liver disease, kidney disease, …, prior DVT, HIV and gout")."""
    return _listed_after(text, start, _NEGATED_BEFORE)


def _listed_after(text: str, start: int, trigger: re.Pattern[str]) -> bool:
    """Whether the mention is an item of a long list that `trigger` opens in its sentence
    ("the risks of bleeding, infection, …, dural tear, paralysis and …")."""
    window = text[max(0, start - _LIST_WINDOW) : start]
    stops = list(re.finditer(r"[.;:!?\n]", window))
    clause = window[stops[-1].end() :] if stops else window
    found = list(trigger.finditer(clause))
    if not found:
        return False
    rest = clause[found[-1].end() :]
    return rest.count(",") >= 2 and not _END.search(rest)


def historical(text: str, start: int) -> bool:
    """Whether the clause before a mention says it is past ("history of", "s/p")."""
    window = text[max(0, start - 40) : start]
    ends = list(_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    return bool(_HISTORY.search(window))
