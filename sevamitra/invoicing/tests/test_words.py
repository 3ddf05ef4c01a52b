from decimal import Decimal

import pytest

from sevamitra.invoicing.words import (
    HINDI_0_99,
    amount_in_words_en,
    amount_in_words_hi,
    number_in_words,
)


@pytest.mark.parametrize(
    ("amount", "english", "hindi"),
    [
        (0, "Rupees Zero Only", "शून्य रुपये मात्र"),
        (1, "Rupees One Only", "एक रुपया मात्र"),
        (11, "Rupees Eleven Only", "ग्यारह रुपये मात्र"),
        (19, "Rupees Nineteen Only", "उन्नीस रुपये मात्र"),
        (21, "Rupees Twenty-One Only", "इक्कीस रुपये मात्र"),
        (99, "Rupees Ninety-Nine Only", "निन्यानबे रुपये मात्र"),
        (100, "Rupees One Hundred Only", "एक सौ रुपये मात्र"),
        (101, "Rupees One Hundred One Only", "एक सौ एक रुपये मात्र"),
        (999, "Rupees Nine Hundred Ninety-Nine Only", "नौ सौ निन्यानबे रुपये मात्र"),
        (1000, "Rupees One Thousand Only", "एक हज़ार रुपये मात्र"),
        (100000, "Rupees One Lakh Only", "एक लाख रुपये मात्र"),
        (
            Decimal("123456.78"),
            "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy-Eight "
            "Paise Only",
            "एक लाख तेईस हज़ार चार सौ छप्पन रुपये और अठहत्तर पैसे मात्र",
        ),
        (10000000, "Rupees One Crore Only", "एक करोड़ रुपये मात्र"),
        (
            Decimal("999999999.99"),
            "Rupees Ninety-Nine Crore Ninety-Nine Lakh Ninety-Nine Thousand Nine Hundred "
            "Ninety-Nine and Ninety-Nine Paise Only",
            "निन्यानबे करोड़ निन्यानबे लाख निन्यानबे हज़ार नौ सौ निन्यानबे रुपये और निन्यानबे पैसे मात्र",
        ),
        (Decimal("0.50"), "Fifty Paise Only", "पचास पैसे मात्र"),
        (Decimal("0.01"), "One Paisa Only", "एक पैसा मात्र"),
        (Decimal("1.01"), "Rupees One and One Paisa Only", "एक रुपया और एक पैसा मात्र"),
        (Decimal("2.10"), "Rupees Two and Ten Paise Only", "दो रुपये और दस पैसे मात्र"),
        (Decimal("5000.00"), "Rupees Five Thousand Only", "पाँच हज़ार रुपये मात्र"),
        (
            Decimal("1180.00"),
            "Rupees One Thousand One Hundred Eighty Only",
            "एक हज़ार एक सौ अस्सी रुपये मात्र",
        ),
        (
            1010101,
            "Rupees Ten Lakh Ten Thousand One Hundred One Only",
            "दस लाख दस हज़ार एक सौ एक रुपये मात्र",
        ),
        (
            20000500,
            "Rupees Two Crore Five Hundred Only",
            "दो करोड़ पाँच सौ रुपये मात्र",
        ),
        (1000000000, "Rupees One Hundred Crore Only", "एक सौ करोड़ रुपये मात्र"),
        (
            12345678901,
            "Rupees One Thousand Two Hundred Thirty-Four Crore Fifty-Six Lakh Seventy-Eight "
            "Thousand Nine Hundred One Only",
            "एक हज़ार दो सौ चौंतीस करोड़ छप्पन लाख अठहत्तर हज़ार नौ सौ एक रुपये मात्र",
        ),
    ],
)
def test_amount_in_words(amount, english, hindi):
    assert amount_in_words_en(amount) == english
    assert amount_in_words_hi(amount) == hindi


# Every irregular Hindi number word, checked one by one against a second, independent listing.
HINDI_REFERENCE = """
0 शून्य|1 एक|2 दो|3 तीन|4 चार|5 पाँच|6 छह|7 सात|8 आठ|9 नौ|10 दस|11 ग्यारह|12 बारह|13 तेरह
|14 चौदह|15 पंद्रह|16 सोलह|17 सत्रह|18 अठारह|19 उन्नीस|20 बीस|21 इक्कीस|22 बाईस|23 तेईस
|24 चौबीस|25 पच्चीस|26 छब्बीस|27 सत्ताईस|28 अट्ठाईस|29 उनतीस|30 तीस|31 इकतीस|32 बत्तीस
|33 तैंतीस|34 चौंतीस|35 पैंतीस|36 छत्तीस|37 सैंतीस|38 अड़तीस|39 उनतालीस|40 चालीस|41 इकतालीस
|42 बयालीस|43 तैंतालीस|44 चवालीस|45 पैंतालीस|46 छियालीस|47 सैंतालीस|48 अड़तालीस|49 उनचास
|50 पचास|51 इक्यावन|52 बावन|53 तिरेपन|54 चौवन|55 पचपन|56 छप्पन|57 सत्तावन|58 अट्ठावन|59 उनसठ
|60 साठ|61 इकसठ|62 बासठ|63 तिरेसठ|64 चौंसठ|65 पैंसठ|66 छियासठ|67 सड़सठ|68 अड़सठ|69 उनहत्तर
|70 सत्तर|71 इकहत्तर|72 बहत्तर|73 तिहत्तर|74 चौहत्तर|75 पचहत्तर|76 छिहत्तर|77 सतहत्तर
|78 अठहत्तर|79 उनासी|80 अस्सी|81 इक्यासी|82 बयासी|83 तिरासी|84 चौरासी|85 पचासी|86 छियासी
|87 सत्तासी|88 अट्ठासी|89 नवासी|90 नब्बे|91 इक्यानबे|92 बानबे|93 तिरानबे|94 चौरानबे|95 पचानबे
|96 छियानबे|97 सत्तानबे|98 अट्ठानबे|99 निन्यानबे
"""


def test_hindi_table_is_complete_and_matches_the_reference():
    pairs = [item.split() for item in HINDI_REFERENCE.replace("\n", "").split("|")]
    reference = {int(number): word for number, word in pairs}
    assert sorted(reference) == list(range(100))
    assert {n: HINDI_0_99[n] for n in range(100)} == reference
    assert len(set(HINDI_0_99)) == 100


@pytest.mark.parametrize(
    ("n", "english"),
    [
        (20, "Twenty"),
        (40, "Forty"),
        (45, "Forty-Five"),
        (90, "Ninety"),
        (110, "One Hundred Ten"),
        (115, "One Hundred Fifteen"),
        (700001, "Seven Lakh One"),
        (10001, "Ten Thousand One"),
    ],
)
def test_english_number_words(n, english):
    assert number_in_words(n, hindi=False) == english


@pytest.mark.parametrize("amount", [-1, Decimal("-0.01"), Decimal("1.005"), 1.5, "10", True])
def test_bad_amounts_are_refused(amount):
    with pytest.raises(ValueError):
        amount_in_words_en(amount)
    with pytest.raises(ValueError):
        amount_in_words_hi(amount)


def test_negative_number_refused():
    with pytest.raises(ValueError):
        number_in_words(-5, hindi=True)
