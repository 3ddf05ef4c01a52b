"""An amount of rupees in words, in the Indian system (thousand, lakh, crore), as an invoice
prints it under the total: in English and in Hindi.

    amount_in_words_en(Decimal("123456.78"))
    → "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy-Eight Paise Only"
    amount_in_words_hi(Decimal("123456.78"))
    → "एक लाख तेईस हज़ार चार सौ छप्पन रुपये और अठहत्तर पैसे मात्र"

Hindi number words from 1 to 99 are not built from parts (२३ is "तेईस", not "बीस तीन"): they
come from the full table HINDI_0_99. Groups: crore (1,00,00,000), lakh (1,00,000), thousand
(1,000), hundred, and the last two digits. A count of crores of 100 or more is itself spelled in
the same system ("One Hundred Crore", "एक सौ करोड़"). Amounts are Decimal rupees with at most two
decimal places; anything else (negative, float, fractions of a paisa) raises ValueError.
"""

from decimal import Decimal

ENGLISH_0_19 = (
    "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen",
    "Nineteen",
)  # fmt: skip
ENGLISH_TENS = (
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
)  # fmt: skip

# Index = the number. Spellings as in NCERT Hindi textbooks (with the nukta in हज़ार below).
HINDI_0_99 = (
    "शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ",
    "दस", "ग्यारह", "बारह", "तेरह", "चौदह", "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस",
    "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस", "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस",
    "तीस", "इकतीस", "बत्तीस", "तैंतीस", "चौंतीस", "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस", "उनतालीस",
    "चालीस", "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस",
    "पैंतालीस", "छियालीस", "सैंतालीस", "अड़तालीस", "उनचास",
    "पचास", "इक्यावन", "बावन", "तिरेपन", "चौवन", "पचपन", "छप्पन", "सत्तावन", "अट्ठावन", "उनसठ",
    "साठ", "इकसठ", "बासठ", "तिरेसठ", "चौंसठ", "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ", "उनहत्तर",
    "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर", "पचहत्तर", "छिहत्तर", "सतहत्तर", "अठहत्तर", "उनासी",
    "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी", "पचासी", "छियासी", "सत्तासी", "अट्ठासी", "नवासी",
    "नब्बे", "इक्यानबे", "बानबे", "तिरानबे", "चौरानबे", "पचानबे", "छियानबे", "सत्तानबे", "अट्ठानबे", "निन्यानबे",
)  # fmt: skip
assert len(HINDI_0_99) == 100

CRORE = 10_000_000
LAKH = 100_000
THOUSAND = 1_000

# (size, English word, Hindi word), largest first.
_GROUPS = ((CRORE, "Crore", "करोड़"), (LAKH, "Lakh", "लाख"), (THOUSAND, "Thousand", "हज़ार"))


def _english_below_100(n: int) -> str:
    if n < 20:
        return ENGLISH_0_19[n]
    tens, units = divmod(n, 10)
    return ENGLISH_TENS[tens] + (f"-{ENGLISH_0_19[units]}" if units else "")


def _below_1000(n: int, *, hindi: bool) -> list[str]:
    """Words of 1..999 (nothing for 0)."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [HINDI_0_99[hundreds], "सौ"] if hindi else [ENGLISH_0_19[hundreds], "Hundred"]
    if rest:
        words.append(HINDI_0_99[rest] if hindi else _english_below_100(rest))
    return words


def number_in_words(n: int, *, hindi: bool) -> str:
    """A whole number ≥ 0 in words, Indian system: 123456 → "One Lakh Twenty-Three Thousand
    Four Hundred Fifty-Six" / "एक लाख तेईस हज़ार चार सौ छप्पन"."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}.")
    if n == 0:
        return HINDI_0_99[0] if hindi else ENGLISH_0_19[0]
    words: list[str] = []
    for size, english, hindi_word in _GROUPS:
        count, n = divmod(n, size)
        if not count:
            continue
        if size == CRORE and count >= 100:
            # Crores of crores: spell the count in the same system ("One Hundred Crore").
            words.append(number_in_words(count, hindi=hindi))
        elif hindi:
            words.append(HINDI_0_99[count])
        else:
            words.append(_english_below_100(count))
        words.append(hindi_word if hindi else english)
    words += _below_1000(n, hindi=hindi)
    return " ".join(words)


def _split(amount: Decimal | int) -> tuple[int, int]:
    """(rupees, paise) of an amount; refuses floats, negatives and fractions of a paisa."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise ValueError(f"amount must be a Decimal or int of rupees, got {amount!r}.")
    value = Decimal(amount)
    if not value.is_finite() or value < 0:
        raise ValueError(f"amount must be a finite amount not below zero, got {amount}.")
    paise_total = value * 100
    if paise_total != paise_total.to_integral_value():
        raise ValueError(f"amount must be whole paise (two decimal places), got {amount}.")
    return divmod(int(paise_total), 100)


def _paise_en(paise: int) -> str:
    return f"{number_in_words(paise, hindi=False)} {'Paisa' if paise == 1 else 'Paise'}"


def amount_in_words_en(amount: Decimal | int) -> str:
    """ "Rupees One Lakh … and Seventy-Eight Paise Only"; "Rupees Zero Only" for 0;
    "Fifty Paise Only" when there are no rupees."""
    rupees, paise = _split(amount)
    if rupees == 0 and paise:
        return f"{_paise_en(paise)} Only"
    text = f"Rupees {number_in_words(rupees, hindi=False)}"
    if paise:
        text += f" and {_paise_en(paise)}"
    return text + " Only"


def amount_in_words_hi(amount: Decimal | int) -> str:
    """ "एक लाख … रुपये और अठहत्तर पैसे मात्र"; "एक रुपया", "एक पैसा" in the singular."""
    rupees, paise = _split(amount)
    paise_text = f"{number_in_words(paise, hindi=True)} {'पैसा' if paise == 1 else 'पैसे'}"
    if rupees == 0 and paise:
        return f"{paise_text} मात्र"
    text = f"{number_in_words(rupees, hindi=True)} {'रुपया' if rupees == 1 else 'रुपये'}"
    if paise:
        text += f" और {paise_text}"
    return text + " मात्र"
