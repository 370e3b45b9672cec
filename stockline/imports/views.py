"""Dashboard pages for CSV import (upload → preview → apply) and export. Thin: the services decide."""

from itertools import chain

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from stockline.accounts.permissions import Perm
from stockline.dashboard.access import staff_view
from stockline.imports.columns import COLUMNS, REQUIRED
from stockline.imports.errors import FileTooLarge, ImportRefused
from stockline.imports.export import export_csv
from stockline.imports.forms import PreviewOptionsForm, UploadForm
from stockline.imports.models import ImportBatch, ImportStatus
from stockline.imports.reader import ENCODINGS, encoding_name
from stockline.imports.services import (
    BROWSER_MAX_BYTES,
    BROWSER_MAX_ROWS,
    import_batch_apply,
    import_batch_preview,
    import_upload,
)
from stockline.imports.summary import ImportPreview

# A request body this much over the file limit is refused before Django reads it.
_BODY_SLACK = 64 * 1024


def _upload_page(request, form, *, error: str = "", status=200):
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "error": error,
            "columns": COLUMNS,
            "required": REQUIRED,
            "max_rows": BROWSER_MAX_ROWS,
            "max_mb": BROWSER_MAX_BYTES // 1024 // 1024,
        },
        status=status,
    )


@staff_view(Perm.MANAGE_PRODUCTS)
def upload(request):
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    if int(request.META.get("CONTENT_LENGTH") or 0) > BROWSER_MAX_BYTES + _BODY_SLACK:
        error = f"The file is larger than {BROWSER_MAX_BYTES // 1024 // 1024} MB; nothing was imported."
        return _upload_page(request, UploadForm(), error=error, status=413)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        batch = import_upload(actor=request.actor, filename=upload.name, source=upload, size=upload.size)
    except FileTooLarge as error:
        return _upload_page(request, UploadForm(), error=error.message, status=413)
    return redirect("imports:batch", batch_id=batch.id)


def _batch(request, batch_id) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.defer("content"), company=request.company, id=batch_id)


def _options_form(batch: ImportBatch, data=None) -> PreviewOptionsForm:
    file_error = batch.preview.get("file_error", {})
    header = batch.preview.get("header", file_error.get("header"))
    initial = {"encoding": batch.encoding}
    matched = batch.preview.get("columns", file_error.get("matched", {}))
    for column in COLUMNS:
        initial[f"map_{column}"] = batch.mapping.get(column, matched.get(column, ""))
    return PreviewOptionsForm(data, header=header, initial=initial)


def _preview_page(request, batch: ImportBatch, options: PreviewOptionsForm, status=200):
    file_error = batch.preview.get("file_error")
    preview = (
        None if file_error or batch.status == ImportStatus.APPLIED else ImportPreview.from_json(batch.preview)
    )
    return render(
        request,
        "imports/preview.html",
        {
            "batch": batch,
            "preview": preview,
            "file_error": file_error,
            "options": options,
            "encoding_label": ENCODINGS.get(batch.encoding, batch.encoding),
            "suggested_encoding": encoding_name(suggestion)
            if (suggestion := (file_error or {}).get("suggestion"))
            else "",
            "max_rows": BROWSER_MAX_ROWS,
        },
        status=status,
    )


@staff_view(Perm.MANAGE_PRODUCTS)
def batch_detail(request, batch_id):
    """GET: the preview (or the result, once applied). POST: preview again with other options."""
    batch = _batch(request, batch_id)
    if request.method != "POST" or batch.status == ImportStatus.APPLIED:
        return _preview_page(request, batch, _options_form(batch))
    if "refresh" in request.POST:  # the same file and options, against the current stock
        encoding = mapping = None
    else:
        options = _options_form(batch, request.POST)
        if not options.is_valid():
            return _preview_page(request, batch, options, status=400)
        encoding, mapping = options.cleaned_data["encoding"], options.mapping()
    batch = ImportBatch.objects.get(id=batch.id)  # with its content, to read it again
    try:
        import_batch_preview(actor=request.actor, batch=batch, encoding=encoding, mapping=mapping)
    except ImportRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("imports:batch", batch_id=batch.id)


@require_POST
@staff_view(Perm.MANAGE_PRODUCTS)
def batch_apply(request, batch_id):
    batch = _batch(request, batch_id)
    try:
        batch = import_batch_apply(actor=request.actor, batch_id=batch.id)
    except ImportRefused as refusal:
        messages.error(request, refusal.message)
    else:
        result = batch.result
        messages.success(
            request,
            f"Imported {batch.filename}: {result['created']:,} created, {result['updated']:,} updated, "
            f"{result['unchanged']:,} unchanged.",
        )
    return redirect("imports:batch", batch_id=batch.id)


@staff_view(Perm.VIEW)
def export(request):
    stamp = timezone.localdate().isoformat()
    # The byte-order mark makes Excel read the file as UTF-8; the importer skips it.
    response = StreamingHttpResponse(
        chain(["\ufeff"], export_csv(request.company.id)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{request.company.slug}-products-{stamp}.csv"'
    return response
