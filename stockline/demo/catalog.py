"""The demo company's data: who works there, what it sells, and a little order history.

Stock figures are the levels the demo ends with. The seed opens each product with enough
extra stock for the order history below, so after the orders every product sits exactly at
its `stock` here — which puts products in every stock state (company default threshold 5):
in stock, low (at and below the threshold, some through a per-product override), out of
stock, and a few inactive.
"""

from dataclasses import dataclass, field

from stockline.accounts.models import Role
from stockline.core.channels import Channel
from stockline.orders.lifecycle import OrderStatus

COMPANY_NAME = "Demo Distributors"
PASSWORD = "demo-password-1"

# (email, name, role); the OWNER signs the company up, the others join by invitation.
STAFF: list[tuple[str, str, str]] = [
    ("owner@demo.test", "Olivia Owner", Role.OWNER),
    ("admin@demo.test", "Adam Admin", Role.ADMIN),
    ("member@demo.test", "Maya Member", Role.MEMBER),
]

BUYER_EMAIL = "buyer@demo.test"
# (email, name, can log in to the storefront); the first is the demo login.
CUSTOMERS: list[tuple[str, str, bool]] = [
    (BUYER_EMAIL, "Bayside Café", True),
    ("orders@northside-deli.test", "Northside Deli", False),
    ("purchasing@harbor-hotel.test", "Harbor Hotel", False),
]


@dataclass(frozen=True, slots=True)
class DemoProduct:
    sku: str
    name: str
    category: str
    unit: str
    price: str
    stock: int  # where the demo leaves it
    threshold: int | None = None  # per-product override; None = company default
    active: bool = True
    description: str = ""


def _p(sku, name, category, unit, price, stock, threshold=None, active=True, description=""):
    return DemoProduct(sku, name, category, unit, price, stock, threshold, active, description)


PRODUCTS: list[DemoProduct] = [
    # Beverages
    _p("BEV-1001", "Sparkling Water 500 mL (24-pack)", "Beverages", "case", "11.40", 180),
    _p("BEV-1002", "Still Spring Water 1.5 L (12-pack)", "Beverages", "case", "8.75", 96),
    _p("BEV-1003", "Cola 330 mL Cans (24-pack)", "Beverages", "case", "14.20", 64),
    _p("BEV-1004", "Orange Juice 1 L (12-pack)", "Beverages", "case", "21.60", 5),
    _p("BEV-1005", "Oat Milk Barista 1 L (6-pack)", "Beverages", "case", "15.90", 3, 10),
    _p("BEV-1006", "Energy Drink 250 mL (24-pack)", "Beverages", "case", "27.50", 0),
    _p("BEV-1007", "Iced Tea Lemon 500 mL (24-pack)", "Beverages", "case", "18.30", 41),
    # Coffee & tea
    _p("CAF-2001", "Espresso Beans, Dark Roast 1 kg", "Coffee & Tea", "bag", "19.80", 72, 15),
    _p("CAF-2002", "House Blend Ground Coffee 500 g", "Coffee & Tea", "bag", "9.40", 12, 15),
    _p("CAF-2003", "English Breakfast Tea (100 bags)", "Coffee & Tea", "box", "6.25", 55),
    _p("CAF-2004", "Green Tea Sencha (100 bags)", "Coffee & Tea", "box", "7.10", 2),
    _p("CAF-2005", "Decaf Coffee Pods (50)", "Coffee & Tea", "box", "16.00", 30),
    _p("CAF-2006", "Hot Chocolate Powder 1 kg", "Coffee & Tea", "bag", "11.95", 0),
    # Snacks
    _p("SNK-3001", "Sea Salt Kettle Chips 40 g (36)", "Snacks", "case", "22.80", 48),
    _p("SNK-3002", "Salted Peanuts 50 g (48)", "Snacks", "case", "24.00", 26),
    _p("SNK-3003", "Dark Chocolate Bar 100 g (20)", "Snacks", "box", "31.00", 4),
    _p("SNK-3004", "Granola Bar Oat & Honey (24)", "Snacks", "box", "13.60", 88),
    _p("SNK-3005", "Pretzel Twists 1 kg", "Snacks", "bag", "7.45", 1),
    _p("SNK-3006", "Trail Mix 1 kg", "Snacks", "bag", "12.90", 19),
    # Dry goods
    _p("DRY-4001", "Basmati Rice 10 kg", "Dry Goods", "bag", "18.50", 35),
    _p("DRY-4002", "Spaghetti No. 5 500 g (24)", "Dry Goods", "case", "19.20", 60),
    _p("DRY-4003", "Plain Flour 25 kg", "Dry Goods", "bag", "16.40", 8, 8),
    _p("DRY-4004", "Granulated Sugar 25 kg", "Dry Goods", "bag", "21.75", 14),
    _p("DRY-4005", "Extra Virgin Olive Oil 5 L", "Dry Goods", "each", "34.90", 0),
    _p("DRY-4006", "Canned Chopped Tomatoes 2.5 kg (6)", "Dry Goods", "case", "15.30", 44),
    _p("DRY-4007", "Sea Salt Fine 1 kg", "Dry Goods", "bag", "1.95", 3, 0),
    # Food service disposables
    _p("FSD-5001", "Paper Cup 12 oz, Double Wall (500)", "Food Service Disposables", "case", "46.00", 25),
    _p("FSD-5002", "Sip Lid for 12 oz Cups (1000)", "Food Service Disposables", "case", "29.50", 18),
    _p("FSD-5003", "Compostable Fork (1000)", "Food Service Disposables", "case", "24.90", 5),
    _p("FSD-5004", "Kraft Takeout Box No. 8 (200)", "Food Service Disposables", "case", "38.40", 22, 25),
    _p("FSD-5005", "Napkin 2-ply White (4000)", "Food Service Disposables", "case", "31.20", 40),
    _p("FSD-5006", "Wooden Stirrer 140 mm (1000)", "Food Service Disposables", "box", "4.80", 150),
    _p("FSD-5007", "Paper Straw Black (250)", "Food Service Disposables", "box", "5.60", 0),
    # Cleaning & janitorial
    _p("CLN-6001", "All-Purpose Cleaner 5 L", "Cleaning & Janitorial", "each", "9.90", 38),
    _p("CLN-6002", "Dish Soap Concentrate 5 L", "Cleaning & Janitorial", "each", "12.40", 27),
    _p("CLN-6003", "Hand Soap Refill 1 L (6)", "Cleaning & Janitorial", "case", "17.80", 5),
    _p("CLN-6004", "Heavy-Duty Trash Bags 120 L (100)", "Cleaning & Janitorial", "roll", "19.60", 63),
    _p("CLN-6005", "Microfiber Cloth 40 cm (10)", "Cleaning & Janitorial", "box", "8.50", 2),
    _p("CLN-6006", "Floor Degreaser 10 L", "Cleaning & Janitorial", "each", "26.70", 11),
    _p("CLN-6007", "Disinfectant Wipes (200)", "Cleaning & Janitorial", "box", "6.90", 0),
    # Paper goods
    _p("PPR-7001", "Toilet Tissue 2-ply (48 rolls)", "Paper Goods", "case", "28.90", 70),
    _p("PPR-7002", "Paper Towel Roll Centerfeed (6)", "Paper Goods", "case", "23.40", 33),
    _p("PPR-7003", "Interfold Hand Towel (3000)", "Paper Goods", "case", "35.10", 6),
    _p("PPR-7004", "Facial Tissue Box (36)", "Paper Goods", "case", "27.00", 17, 20),
    # Packaging & shipping
    _p("PKG-8001", "Shipping Box 12x12x12 in (25)", "Packaging & Shipping", "box", "21.00", 120),
    _p("PKG-8002", "Packing Tape Clear 48 mm (36 rolls)", "Packaging & Shipping", "case", "39.60", 9),
    _p("PKG-8003", "Stretch Wrap 500 mm x 300 m", "Packaging & Shipping", "roll", "14.75", 50, 50),
    _p("PKG-8004", "Bubble Wrap 500 mm x 50 m", "Packaging & Shipping", "roll", "18.20", 4),
    _p("PKG-8005", "Euro Pallet 1200x800", "Packaging & Shipping", "pallet", "24.00", 16),
    _p("PKG-8006", "Kraft Void Fill Paper 5 kg", "Packaging & Shipping", "box", "16.30", 0),
    # Office supplies
    _p("OFC-9001", "Copy Paper A4 80 g (5 reams)", "Office Supplies", "box", "24.50", 85),
    _p("OFC-9002", "Ballpoint Pen Blue (50)", "Office Supplies", "box", "9.80", 23),
    _p("OFC-9003", "Thermal Receipt Roll 80 mm (20)", "Office Supplies", "box", "18.90", 7, 10),
    _p("OFC-9004", "Shipping Label 4x6 in (500)", "Office Supplies", "roll", "12.30", 29),
    # Safety & PPE
    _p("PPE-9501", "Nitrile Gloves Large (100)", "Safety & PPE", "box", "8.90", 140, 30),
    _p("PPE-9502", "Hairnet White (1000)", "Safety & PPE", "case", "19.40", 36),
    _p("PPE-9503", "Hi-Vis Vest Yellow", "Safety & PPE", "each", "3.60", 1, 0),
    # Discontinued lines: inactive, hidden from the storefront, kept for order history.
    _p("BEV-1099", "Tonic Water 200 mL (24-pack)", "Beverages", "case", "16.80", 12, active=False),
    _p("SNK-3099", "Rice Crackers 100 g (24)", "Snacks", "case", "19.90", 0, active=False),
    _p("FSD-5099", "Styrofoam Clamshell (500)", "Food Service Disposables", "case", "29.00", 3, active=False),
    _p("OFC-9099", "Fax Paper Roll (6)", "Office Supplies", "box", "11.00", 40, active=False),
]


@dataclass(frozen=True, slots=True)
class DemoOrder:
    channel: str
    lines: list[tuple[str, int]]  # (sku, quantity)
    by: str = "owner@demo.test"  # staff who place it (dashboard orders) and move it along
    customer: str | None = None  # customer email; storefront orders are placed by them
    po_number: str = ""
    notes: str = ""
    # Status changes after placement, in order; ("CANCELLED", True) cancels and restocks.
    statuses: list[tuple[str, bool]] = field(default_factory=list)


_CONFIRMED = [(OrderStatus.CONFIRMED, False)]
_SHIPPED = [*_CONFIRMED, (OrderStatus.SHIPPED, False)]
_DELIVERED = [*_SHIPPED, (OrderStatus.DELIVERED, False)]

ORDERS: list[DemoOrder] = [
    DemoOrder(
        Channel.STOREFRONT,
        [("CAF-2001", 6), ("FSD-5001", 4), ("FSD-5002", 4)],
        customer=BUYER_EMAIL,
        po_number="BC-1042",
        statuses=_DELIVERED,
    ),
    DemoOrder(
        Channel.DASHBOARD,
        [("DRY-4001", 10), ("DRY-4002", 12), ("DRY-4006", 6)],
        by="member@demo.test",
        customer="orders@northside-deli.test",
        notes="Phoned in by Sam.",
        statuses=_DELIVERED,
    ),
    DemoOrder(
        Channel.API,
        [("PPR-7001", 20), ("PPR-7002", 10), ("CLN-6004", 12)],
        customer="purchasing@harbor-hotel.test",
        po_number="HH-PO-5531",
        statuses=_SHIPPED,
    ),
    DemoOrder(
        Channel.STOREFRONT,
        [("BEV-1001", 10), ("SNK-3001", 4), ("SNK-3004", 6)],
        customer=BUYER_EMAIL,
        statuses=_SHIPPED,
    ),
    DemoOrder(
        Channel.DASHBOARD,
        [("CLN-6001", 8), ("CLN-6002", 6), ("PPE-9501", 20)],
        by="admin@demo.test",
        customer="purchasing@harbor-hotel.test",
        statuses=_CONFIRMED,
    ),
    DemoOrder(
        Channel.API,
        [("BEV-1003", 16), ("BEV-1007", 8)],
        customer="orders@northside-deli.test",
        po_number="ND-2024-118",
        statuses=_CONFIRMED,
    ),
    DemoOrder(
        Channel.DASHBOARD,
        [("PKG-8001", 30), ("PKG-8002", 3), ("PKG-8003", 10)],
        by="member@demo.test",
        notes="Warehouse restock of packing station.",
        statuses=[(OrderStatus.CANCELLED, True)],
    ),
    DemoOrder(
        Channel.STOREFRONT,
        [("CAF-2002", 8), ("CAF-2003", 5), ("BEV-1005", 3)],
        customer=BUYER_EMAIL,
        notes="Please deliver before 10 am.",
        statuses=[(OrderStatus.CANCELLED, False)],
    ),
    DemoOrder(
        Channel.API,
        [("OFC-9001", 15), ("OFC-9004", 6)],
        customer="purchasing@harbor-hotel.test",
        po_number="HH-PO-5560",
    ),
    DemoOrder(
        Channel.DASHBOARD,
        [("DRY-4003", 4), ("DRY-4004", 6), ("DRY-4007", 10)],
        by="admin@demo.test",
        customer="orders@northside-deli.test",
    ),
    # The last units of three products go in one storefront order: out of stock, and a
    # low-stock email job for the worker.
    DemoOrder(
        Channel.STOREFRONT,
        [("BEV-1006", 6), ("CAF-2006", 2), ("FSD-5007", 4), ("SNK-3003", 3)],
        customer=BUYER_EMAIL,
        po_number="BC-1057",
    ),
    DemoOrder(
        Channel.STOREFRONT,
        [("CLN-6005", 5), ("CLN-6003", 2), ("PPR-7003", 4)],
        customer=BUYER_EMAIL,
    ),
    DemoOrder(
        Channel.DASHBOARD,
        [("PKG-8005", 4), ("PKG-8004", 6)],
        by="owner@demo.test",
        notes="Pallets for the Harbor Hotel refit.",
    ),
]
