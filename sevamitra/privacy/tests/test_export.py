"""The data download: exactly what the portal holds about the person, as JSON, and nothing
about anyone else (agents' names, providers' numbers)."""

import json

import pytest
from django.utils import timezone

from sevamitra.bookings.models import Booking
from sevamitra.callcentre.models import Call
from sevamitra.ondc.models import OndcTransaction
from sevamitra.privacy.selectors import person_data
from sevamitra.privacy.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


def test_export_of_a_citizen_is_exact(person):
    done, cancelled = Booking.objects.filter(customer=person).order_by("starts_at")
    call = Call.objects.get()
    txn = OndcTransaction.objects.get()
    data = person_data(person)
    assert data.pop("exported_at")
    assert data == {
        "format": 1,
        "account": {
            "mobile_number": PHONE,
            "name": "Asha Verma",
            "preferred_language": "hi",
            "joined": person.date_joined.isoformat(),
            "last_sign_in": None,
        },
        "roles": [],
        "addresses": [
            {
                "label": "Home",
                "line": "B-12, Vipin Khand",
                "locality": "Gomti Nagar",
                "pincode": "226010",
                "lat": data["addresses"][0]["lat"],
                "lng": data["addresses"][0]["lng"],
            }
        ],
        "bookings": [
            {
                "reference": b.pk,
                "service": "Electrician",
                "kind": "visit",
                "channel": "web",
                "status": status,
                "starts_at": b.starts_at.isoformat(),
                "ends_at": b.ends_at.isoformat(),
                "booked_at": b.created_at.isoformat(),
                "provider": "Sunita Devi",
                "address": "B-12, Vipin Khand, Gomti Nagar",
                "pincode": "226010",
                "notes": "Ring twice; ask for Asha",
                "total": "350.00",
                "cancelled_by": cancelled_by,
                "cancellation_fee": fee,
            }
            for b, status, cancelled_by, fee in [
                (done, "rated", "", None),
                (cancelled, "cancelled", "customer", "0.00"),
            ]
        ],
        "ratings_written": [
            {
                "booking": done.pk,
                "stars": 4,
                "text": "Asha says: neat work",
                "at": done.ratings.get().created_at.isoformat(),
            }
        ],
        "provider_profile": None,
        "calls_to_call_centre": [
            {
                "started_at": call.started_at.isoformat(),
                "ended_at": call.ended_at.isoformat(),
                "outcome": "enquiry",
                "booking": None,
            }
        ],
        "complaints": {"made": [], "about_my_work": [], "what_i_wrote": [], "appeals": []},
        "ondc_transactions": [
            {
                "buyer_app": "buyer.example",
                "transaction_id": "T-42",
                "state": "cancelled",
                "booking": None,
                "at": txn.created_at.isoformat(),
            }
        ],
        "employment": {"links": [], "work_history_shares": []},
        "sign_in_portals": [],
    }
    assert isinstance(data["addresses"][0]["lat"], float)
    assert "Agent" not in json.dumps(data)


def test_export_of_a_sevamitra_has_the_profile(worker):
    profile = person_data(worker.user)["provider_profile"]
    assert profile["name_latin"] == "Sunita Devi"
    assert profile["offers"] == [
        {"service": "Cook", "price": "400.00", "visiting_charge": "0.00", "active": True}
    ]
    assert profile["documents"] == [
        {"kind": "identity", "id_type": "voter_id", "last4": "4321", "valid_until": None},
        {"kind": "police", "id_type": "", "last4": "", "valid_until": "2027-06-30"},
    ]
    assert profile["leave"] == [
        {"from": "2027-01-01", "to": "2027-01-02", "reason": "Sister's wedding in Gonda"}
    ]
    assert len(profile["weekly_hours"]) == 7
    assert profile["terms"] == {
        "free_cancellation_hours": 2,
        "cancellation_fee": "0.00",
        "included": "Labour only",
    }
    assert profile["business_address"] == {
        "line1": "Shop 4, Kapoorthala Market",
        "line2": "",
        "locality": "Aliganj",
        "pincode": "226024",
    }
    # The police certificate number is not an ID number: it is not exported either way.
    assert "UPPOL" not in json.dumps(profile)


def test_download_is_an_attachment_with_the_date(client, person):
    client.force_login(person)
    response = client.post("/my/data/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="sevamitra-my-data-{today}.json"'
    )
    body = json.loads(response.content)
    assert body["account"]["mobile_number"] == PHONE
    assert len(body["bookings"]) == 2
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_download_needs_post_and_sign_in(client, person):
    assert client.post("/my/data/download/").status_code == 302
    client.force_login(person)
    assert client.get("/my/data/download/").status_code == 405


def test_page_renders_in_hindi(client, person):
    client.force_login(person)
    page = client.get("/my/data/").content.decode()
    assert '<html lang="hi">' in page
    assert "<h1>मेरा डेटा</h1>" in page
    assert "मेरा डेटा डाउनलोड करें" in page and 'action="/my/data/download/"' in page
    assert 'href="/my/data/erase/"' in page
