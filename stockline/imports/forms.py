from django import forms

from stockline.imports.columns import COLUMNS, REQUIRED
from stockline.imports.reader import ENCODINGS

NOT_IN_FILE = ""


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file")


class PreviewOptionsForm(forms.Form):
    """Read the stored file again: as another encoding and, when its header is known, with
    each column taken from the header the user picks."""

    encoding = forms.ChoiceField(label="Read the file as", choices=list(ENCODINGS.items()))

    def __init__(self, *args, header: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_mapping = header is not None
        choices = [(NOT_IN_FILE, "— not in the file —")] + [(h, h) for h in dict.fromkeys(header or []) if h]
        for column in COLUMNS if header is not None else ():
            self.fields[f"map_{column}"] = forms.ChoiceField(
                label=column, choices=choices, required=column in REQUIRED
            )

    def mapping_fields(self):
        return [self[f"map_{column}"] for column in COLUMNS if f"map_{column}" in self.fields]

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"map_{c}") for c in COLUMNS if data.get(f"map_{c}")]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Each column of the file can be used for one field only.")
        return data

    def mapping(self) -> dict[str, str] | None:
        """column → header for every field (NOT_IN_FILE: leave it out), or None to keep the batch's."""
        if not self.has_mapping:
            return None
        return {column: self.cleaned_data[f"map_{column}"] for column in COLUMNS}
