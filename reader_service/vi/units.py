"""Units and currencies written after numbers, and how they are read. Data only."""

from __future__ import annotations

# Symbol as written -> spoken. Case matters: "MW" is megawatt, "mW" would be milliwatt.
UNITS: dict[str, str] = {
    "km/h": "ki lô mét trên giờ",
    "m3/s": "mét khối trên giây",
    "m³/s": "mét khối trên giây",
    "m3/h": "mét khối trên giờ",
    "m³/h": "mét khối trên giờ",
    "m/s": "mét trên giây",
    "l/s": "lít trên giây",
    "mg/l": "mi li gam trên lít",
    "µg/m3": "mi crô gam trên mét khối",
    "km²": "ki lô mét vuông",
    "km2": "ki lô mét vuông",
    "m²": "mét vuông",
    "m2": "mét vuông",
    "m³": "mét khối",
    "m3": "mét khối",
    "cm2": "xen ti mét vuông",
    "cm3": "xen ti mét khối",
    "km": "ki lô mét",
    "cm": "xen ti mét",
    "mm": "mi li mét",
    "m": "mét",
    "ha": "héc ta",
    "kg": "ki lô gam",
    "mg": "mi li gam",
    "µg": "mi crô gam",
    "g": "gam",
    "ml": "mi li lít",
    "l": "lít",
    "°C": "độ xê",
    "ºC": "độ xê",
    "oC": "độ xê",
    "°F": "độ ép",
    "°": "độ",
    "GW": "gi ga oát",
    "MW": "mê ga oát",
    "kW": "ki lô oát",
    "W": "oát",
    "GWh": "gi ga oát giờ",
    "MWh": "mê ga oát giờ",
    "kWh": "ki lô oát giờ",
    "kV": "ki lô vôn",
    "V": "vôn",
    "Hz": "héc",
    "MHz": "mê ga héc",
    "GHz": "gi ga héc",
    "GB": "gi ga bai",
    "MB": "mê ga bai",
    "KB": "ki lô bai",
    "TB": "tê ra bai",
    "Mbps": "mê ga bít trên giây",
    "Gbps": "gi ga bít trên giây",
    "dB": "đê xi ben",
    "ppm": "pê pê mờ",
    "mmHg": "mi li mét thủy ngân",
    "‰": "phần nghìn",
}

# Currencies after a number ("20.000 VNĐ", "500.000đ", "1,5 tỷ USD").
CURRENCIES: dict[str, str] = {
    "đồng": "đồng",
    "đ": "đồng",
    "VNĐ": "việt nam đồng",
    "VND": "việt nam đồng",
    "vnđ": "việt nam đồng",
    "vnd": "việt nam đồng",
    "USD": "đô la mỹ",
    "usd": "đô la mỹ",
    "EUR": "ơ rô",
    "euro": "ơ rô",
    "Euro": "ơ rô",
    "€": "ơ rô",
    "yên": "yên",
    "NDT": "nhân dân tệ",
}
# Currency signs written before the number ("$5").
CURRENCY_SIGNS: dict[str, str] = {"$": "đô la", "€": "ơ rô", "£": "bảng anh", "¥": "yên"}

# Magnitudes written as words between a number and its unit ("1,5 tỷ USD", "5 triệu m3").
MAGNITUDES: tuple[str, ...] = ("nghìn", "ngàn", "triệu", "tỷ", "tỉ", "trăm", "vạn")

# After a slash, these are "per" units: "đồng/tháng" -> "đồng một tháng". Periods of time
# and counted things read with "một"; others ("người/km2") with "trên".
PER_ONE: frozenset[str] = frozenset(
    "tháng năm ngày tuần giờ phút giây quý kỳ vụ buổi ca lượt lần người hộ suất con chiếc "
    "cái bộ học sinh em lớp xã trường sào công cây".split()
)
