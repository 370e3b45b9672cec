"""A CSV row → the product values it asks for, checked as the product form checks them.

The limits and messages come from the Product model's fields and Django's form fields, so
there is one definition of each rule; only the cheap comparisons are done here, inline,
because full_clean() is far too slow for a million rows.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator

from stockline.catalog.models import Product
from stockline.imports.columns import ColumnMap
from stockline.imports.errors import RowError
from stockline.imports.formulas import restore

NOT_A_BOOLEAN = "Enter true or false."

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "active"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "inactive"})

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?")  # "12.0" is 12, as the product form reads it
_MAX_NUMBER_CHARS = 40
_CENT = Decimal("0.01")

# Numbers are read as the product form reads them: the common spellings by regex, anything
# else ("1 .0", "1_000", "1e2") by the form's own field, so a file never accepts what the
# form refuses or the other way round.
_WHOLE_NUMBER_FIELD = forms.IntegerField()
_DECIMAL_NUMBER_FIELD = forms.DecimalField()


def _whole_number(text: str) -> int | None:
    if len(text) > _MAX_NUMBER_CHARS:
        return None
    if _WHOLE.fullmatch(text):
        return int(text.split(".")[0])
    try:
        return _WHOLE_NUMBER_FIELD.to_python(text)
    except ValidationError:
        return None


def _decimal_number(text: str) -> Decimal | None:
    if len(text) > _MAX_NUMBER_CHARS:
        return None
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    try:
        value = _DECIMAL_NUMBER_FIELD.to_python(text)
    except ValidationError:
        return None
    return value if value is not None and value.is_finite() else None


# CSV column → Product field
TEXT_FIELDS = {
    "sku": "sku",
    "name": "name",
    "description": "description",
    "category": "category",
    "unit": "unit",
}


@dataclass(slots=True)
class ProductRow:
    """One valid row. None: the column is not in the file (an update leaves that field alone)."""

    row: int
    sku: str
    name: str
    price: Decimal
    stock: int
    description: str | None = None
    category: str | None = None
    unit: str | None = None
    is_active: bool | None = None


def _violations(validators, value) -> list[str]:
    messages = []
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            messages.extend(error.messages)
    return messages


@dataclass(frozen=True, slots=True)
class _Rules:
    max_length: dict[str, int]
    length_validators: dict[str, list]
    price_validators: list
    stock_validators: list
    stock_min: int
    stock_max: int
    unit_default: str
    required: str
    not_a_number: str
    not_a_whole_number: str


@cache
def rules() -> _Rules:
    """The Product model's limits, read once."""
    field = Product._meta.get_field
    length_validators = {
        column: [v for v in field(name).validators if isinstance(v, MaxLengthValidator)]
        for column, name in TEXT_FIELDS.items()
    }
    stock_validators = field("stock").validators  # the model's bounds and the column's range
    return _Rules(
        max_length={column: min(v.limit_value for v in vs) for column, vs in length_validators.items()},
        length_validators=length_validators,
        price_validators=field("price").validators,
        stock_validators=stock_validators,
        stock_min=max(v.limit_value for v in stock_validators if isinstance(v, MinValueValidator)),
        stock_max=min(v.limit_value for v in stock_validators if isinstance(v, MaxValueValidator)),
        unit_default=field("unit").default,
        # The product form's own words.
        required=str(forms.Field.default_error_messages["required"]),
        not_a_number=str(forms.DecimalField.default_error_messages["invalid"]),
        not_a_whole_number=str(forms.IntegerField.default_error_messages["invalid"]),
    )


def _cell(text: str) -> str:
    value = text.strip()
    return restore(value) if value[:1] == "'" else value


class RowParser:
    """Parses the data rows of one file, given how its header was matched."""

    def __init__(self, columns: ColumnMap):
        self.width = columns.width
        self._rules = r = rules()
        index = columns.index
        self._texts = [(c, index[c], r.max_length[c]) for c in TEXT_FIELDS if c in index]
        self._price_at, self._stock_at = index["price"], index["stock"]
        self._active_at = index.get("isActive")

    def parse(self, row: int, cells: list[str]) -> tuple[ProductRow | None, list[RowError], str | None]:
        """(the row's values or None, its errors, its SKU when the SKU itself is valid)."""
        if len(cells) != self.width:
            message = f"This row has {len(cells)} cells but the header has {self.width}."
            return None, [RowError(row, "", message)], None
        errors: list[RowError] = []
        texts = {}
        for column, i, limit in self._texts:
            value = texts[column] = _cell(cells[i])
            if len(value) > limit:
                errors.extend(
                    RowError(row, column, m)
                    for m in _violations(self._rules.length_validators[column], value)
                )
        for column in ("sku", "name"):
            if not texts[column]:
                errors.append(RowError(row, column, self._rules.required))
        sku = texts["sku"] if texts["sku"] and not any(e.column == "sku" for e in errors) else None
        price = self._price(row, _cell(cells[self._price_at]), errors)
        stock = self._stock(row, _cell(cells[self._stock_at]), errors)
        is_active = (
            None if self._active_at is None else self._is_active(row, _cell(cells[self._active_at]), errors)
        )
        if errors:
            return None, errors, sku
        unit = texts.get("unit")
        return (
            ProductRow(
                row=row,
                sku=texts["sku"],
                name=texts["name"],
                price=price,
                stock=stock,
                description=texts.get("description"),
                category=texts.get("category"),
                unit=(unit or self._rules.unit_default) if unit is not None else None,
                is_active=is_active,
            ),
            errors,
            sku,
        )

    def _price(self, row: int, text: str, errors: list[RowError]) -> Decimal | None:
        if not text:
            errors.append(RowError(row, "price", self._rules.required))
            return None
        value = _decimal_number(text)
        if value is None:
            errors.append(RowError(row, "price", self._rules.not_a_number))
            return None
        problems = _violations(self._rules.price_validators, value)
        errors.extend(RowError(row, "price", m) for m in problems)
        # Stored with two places; "+ 0" turns "-0" into 0, which export must not write as "-0.00".
        return None if problems else value.quantize(_CENT) + 0

    def _stock(self, row: int, text: str, errors: list[RowError]) -> int | None:
        if not text:
            errors.append(RowError(row, "stock", self._rules.required))
            return None
        value = _whole_number(text)
        if value is None:
            errors.append(RowError(row, "stock", self._rules.not_a_whole_number))
            return None
        r = self._rules
        if not r.stock_min <= value <= r.stock_max:
            errors.extend(RowError(row, "stock", m) for m in _violations(r.stock_validators, value))
            return None
        return value

    def _is_active(self, row: int, text: str, errors: list[RowError]) -> bool | None:
        word = text.lower()
        if not word or word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        errors.append(RowError(row, "isActive", NOT_A_BOOLEAN))
        return None
