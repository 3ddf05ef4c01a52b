"""GST on a Sevamitra's supply to a government office: which document, which taxes, how much.

- Provider with a GSTIN → a *tax invoice*. The supplier's state is the first two digits of
  their GSTIN (our providers are in Uttar Pradesh, "09"); the place of supply is the recipient
  office's state (the state code of its GSTIN when it has one, else its `state_code`).
  Same state → intra-state: CGST and SGST at half the rate each. Different states →
  inter-state: IGST at the full rate.
- Provider without a GSTIN → a *bill of supply*: no tax at all.

The rate is the category's GST rate in percent (18 by default). Each tax line is rounded to
paise half-up on its own; the total is exactly taxable value + the tax lines. Pure functions:
no database, no clock. Amounts are Decimal rupees with two places.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PAISE = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_GST_RATE_PERCENT = Decimal(18)
UTTAR_PRADESH = "09"

TAX_INVOICE = "tax_invoice"
BILL_OF_SUPPLY = "bill_of_supply"

# 2 digits state code, 5 letters + 4 digits + 1 letter (PAN), entity number, "Z", check character.
GSTIN_RE = re.compile(r"^[0-3][0-9][A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")

# GST state codes (CBIC), English and Hindi names, for "place of supply".
STATES: dict[str, tuple[str, str]] = {
    "01": ("Jammu and Kashmir", "जम्मू और कश्मीर"),
    "02": ("Himachal Pradesh", "हिमाचल प्रदेश"),
    "03": ("Punjab", "पंजाब"),
    "04": ("Chandigarh", "चंडीगढ़"),
    "05": ("Uttarakhand", "उत्तराखंड"),
    "06": ("Haryana", "हरियाणा"),
    "07": ("Delhi", "दिल्ली"),
    "08": ("Rajasthan", "राजस्थान"),
    "09": ("Uttar Pradesh", "उत्तर प्रदेश"),
    "10": ("Bihar", "बिहार"),
    "11": ("Sikkim", "सिक्किम"),
    "12": ("Arunachal Pradesh", "अरुणाचल प्रदेश"),
    "13": ("Nagaland", "नागालैंड"),
    "14": ("Manipur", "मणिपुर"),
    "15": ("Mizoram", "मिज़ोरम"),
    "16": ("Tripura", "त्रिपुरा"),
    "17": ("Meghalaya", "मेघालय"),
    "18": ("Assam", "असम"),
    "19": ("West Bengal", "पश्चिम बंगाल"),
    "20": ("Jharkhand", "झारखंड"),
    "21": ("Odisha", "ओडिशा"),
    "22": ("Chhattisgarh", "छत्तीसगढ़"),
    "23": ("Madhya Pradesh", "मध्य प्रदेश"),
    "24": ("Gujarat", "गुजरात"),
    "26": ("Dadra and Nagar Haveli and Daman and Diu", "दादरा और नगर हवेली और दमन और दीव"),
    "27": ("Maharashtra", "महाराष्ट्र"),
    "29": ("Karnataka", "कर्नाटक"),
    "30": ("Goa", "गोवा"),
    "31": ("Lakshadweep", "लक्षद्वीप"),
    "32": ("Kerala", "केरल"),
    "33": ("Tamil Nadu", "तमिलनाडु"),
    "34": ("Puducherry", "पुडुचेरी"),
    "35": ("Andaman and Nicobar Islands", "अंडमान और निकोबार द्वीपसमूह"),
    "36": ("Telangana", "तेलंगाना"),
    "37": ("Andhra Pradesh", "आंध्र प्रदेश"),
    "38": ("Ladakh", "लद्दाख"),
}


def to_paise(amount: Decimal) -> Decimal:
    return amount.quantize(PAISE, rounding=ROUND_HALF_UP)


def state_of_gstin(gstin: str) -> str:
    """The state code of a GSTIN: its first two digits. ValueError for a malformed GSTIN."""
    value = gstin.strip().upper()
    if not GSTIN_RE.match(value):
        raise ValueError(f"not a GSTIN: {gstin!r}")
    return value[:2]


def state_label(code: str) -> tuple[str, str]:
    """(English, Hindi) name of a state code; the code itself when unknown."""
    return STATES.get(code, (code, code))


@dataclass(frozen=True, slots=True)
class TaxBreakup:
    kind: str  # TAX_INVOICE | BILL_OF_SUPPLY
    intra_state: bool  # CGST+SGST (True) or IGST (False); meaningless for a bill of supply
    supplier_state: str
    place_of_supply: str  # state code of the recipient
    rate_percent: Decimal  # 0 for a bill of supply
    taxable_value: Decimal
    cgst_rate: Decimal
    cgst: Decimal
    sgst_rate: Decimal
    sgst: Decimal
    igst_rate: Decimal
    igst: Decimal

    @property
    def tax(self) -> Decimal:
        return self.cgst + self.sgst + self.igst

    @property
    def total(self) -> Decimal:
        return self.taxable_value + self.tax


def recipient_state(*, state_code: str, gstin: str = "") -> str:
    """The recipient's state: from its GSTIN when it has one, else its state code."""
    if gstin:
        return state_of_gstin(gstin)
    if not re.fullmatch(r"[0-9]{2}", state_code or ""):
        raise ValueError(f"state code must be two digits, got {state_code!r}")
    return state_code


def tax_breakup(
    *,
    taxable_value: Decimal,
    supplier_gstin: str,
    recipient_state_code: str,
    recipient_gstin: str = "",
    rate_percent: Decimal = DEFAULT_GST_RATE_PERCENT,
    supplier_state_code: str = UTTAR_PRADESH,
) -> TaxBreakup:
    """The document kind and tax lines of a supply of `taxable_value`.

    `supplier_state_code` is used only without a GSTIN (a bill of supply still names the
    supplier's state). Raises ValueError for a negative or sub-paisa value, a negative rate, a
    malformed GSTIN or state code.
    """
    if not isinstance(taxable_value, Decimal) or not taxable_value.is_finite():
        raise ValueError(f"taxable_value must be a Decimal, got {taxable_value!r}")
    if taxable_value < 0 or taxable_value != to_paise(taxable_value):
        raise ValueError(f"taxable_value must be whole paise, not negative: {taxable_value}")
    if not isinstance(rate_percent, Decimal) or not (0 <= rate_percent <= 100):
        raise ValueError(f"rate_percent must be a Decimal between 0 and 100: {rate_percent!r}")
    value = taxable_value.quantize(PAISE)
    place = recipient_state(state_code=recipient_state_code, gstin=recipient_gstin)
    if not supplier_gstin:
        return TaxBreakup(
            kind=BILL_OF_SUPPLY,
            intra_state=supplier_state_code == place,
            supplier_state=supplier_state_code,
            place_of_supply=place,
            rate_percent=ZERO,
            taxable_value=value,
            cgst_rate=ZERO,
            cgst=ZERO,
            sgst_rate=ZERO,
            sgst=ZERO,
            igst_rate=ZERO,
            igst=ZERO,
        )
    supplier = state_of_gstin(supplier_gstin)
    if supplier == place:
        half = rate_percent / 2
        each = to_paise(value * half / 100)
        return TaxBreakup(
            kind=TAX_INVOICE,
            intra_state=True,
            supplier_state=supplier,
            place_of_supply=place,
            rate_percent=rate_percent,
            taxable_value=value,
            cgst_rate=half,
            cgst=each,
            sgst_rate=half,
            sgst=each,
            igst_rate=ZERO,
            igst=ZERO,
        )
    return TaxBreakup(
        kind=TAX_INVOICE,
        intra_state=False,
        supplier_state=supplier,
        place_of_supply=place,
        rate_percent=rate_percent,
        taxable_value=value,
        cgst_rate=ZERO,
        cgst=ZERO,
        sgst_rate=ZERO,
        sgst=ZERO,
        igst_rate=rate_percent,
        igst=to_paise(value * rate_percent / 100),
    )
