import pytest

from sevamitra.geo.distance import distance_km


def test_lucknow_to_kanpur_is_about_75_km():
    assert distance_km(26.8467, 80.9462, 26.4499, 80.3319) == pytest.approx(76.0, abs=2.0)


def test_same_point_is_zero_and_distance_is_symmetric():
    assert distance_km(25.3, 83.0, 25.3, 83.0) == 0
    assert distance_km(25.3, 83.0, 26.8, 81.0) == distance_km(26.8, 81.0, 25.3, 83.0)
