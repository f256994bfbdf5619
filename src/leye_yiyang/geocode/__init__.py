"""Address and place-name geocoding for the district: an offline gazetteer matcher, and a datum-aware
wrapper for geopy's online geocoders. Framework-free (no web or database imports)."""

from leye_yiyang.geocode.gazetteer import Entry, entries_from_geojson, facility_entry, normalize
from leye_yiyang.geocode.geocoder import Match, OfflineGeocoder, Resolution
from leye_yiyang.geocode.online import AddressResolver, DatumAwareGeocoder, build_geocoder

__all__ = [
    "AddressResolver",
    "DatumAwareGeocoder",
    "Entry",
    "Match",
    "OfflineGeocoder",
    "Resolution",
    "build_geocoder",
    "entries_from_geojson",
    "facility_entry",
    "normalize",
]
