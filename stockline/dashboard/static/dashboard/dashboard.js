/* Stockline dashboard behaviour: small, progressive, no framework (htmx does the fetching). */
(function () {
  "use strict";

  // Times: the server renders UTC; show them in the viewer's time zone.
  var timeFormat = new Intl.DateTimeFormat(undefined, {
    month: "short", day: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit",
  });
  function localiseTimes(root) {
    root.querySelectorAll("time[data-local]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (!isNaN(d)) { el.textContent = timeFormat.format(d); el.title = el.getAttribute("datetime"); }
      el.removeAttribute("data-local");
    });
  }

  // Forms whose submit button carries data-confirm ask first.
  document.addEventListener("submit", function (e) {
    var button = e.submitter;
    var message = (button && button.dataset.confirm) || e.target.dataset.confirm;
    if (message && !window.confirm(message)) { e.preventDefault(); }
  });

  // Selects marked data-autosubmit submit their form on change (no inline handlers: CSP).
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]")) { e.target.form.submit(); }
  });

  // Mobile navigation.
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-nav-toggle]")) { document.body.classList.toggle("nav-open"); }
    else if (document.body.classList.contains("nav-open") && !e.target.closest(".sidebar")) {
      document.body.classList.remove("nav-open");
    }
  });

  // Copy-to-clipboard buttons next to one-time secrets.
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-copy]");
    if (!button) { return; }
    var input = document.getElementById(button.dataset.copy);
    input.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(input.value); }
    button.textContent = "Copied";
  });

  // Inventory: row selection, select all on page, select all matching the filters.
  function initBulk(form) {
    var boxes = function () { return form.querySelectorAll("input[name=ids]"); };
    var pageBox = form.querySelector("[data-select-page]");
    var bar = form.querySelector(".bulkbar");
    var allMatching = form.querySelector("input[name=all_matching]");
    var note = form.querySelector("[data-select-note]");
    var total = parseInt(form.dataset.total || "0", 10);
    function refresh() {
      var list = boxes();
      var checked = Array.prototype.filter.call(list, function (b) { return b.checked; }).length;
      var all = allMatching.value === "1";
      if (pageBox) { pageBox.checked = list.length > 0 && checked === list.length; }
      bar.classList.toggle("visible", checked > 0);
      var count = all ? total : checked;
      form.querySelector("[data-selected-count]").textContent = count.toLocaleString();
      if (!note) { return; }
      if (all) {
        note.innerHTML = "All <strong>" + total.toLocaleString() + "</strong> products matching the filters are selected. " +
          "<button type='button' class='btn-link' data-clear-all>Clear selection</button>";
      } else if (checked === list.length && total > list.length) {
        note.innerHTML = "All " + checked + " products on this page are selected. " +
          "<button type='button' class='btn-link' data-select-all-matching>Select all " + total.toLocaleString() +
          " matching products</button>";
      } else { note.textContent = ""; }
    }
    form.addEventListener("change", function (e) {
      if (e.target === pageBox) { boxes().forEach(function (b) { b.checked = pageBox.checked; }); }
      if (e.target.name === "ids" || e.target === pageBox) {
        if (!e.target.checked) { allMatching.value = "0"; }
      }
      if (e.target.name === "action") {
        form.querySelector("[data-value-field]").hidden = !/^stock_/.test(e.target.value);
      }
      refresh();
    });
    form.addEventListener("click", function (e) {
      if (e.target.closest("[data-select-all-matching]")) { allMatching.value = "1"; refresh(); }
      if (e.target.closest("[data-clear-all]")) {
        allMatching.value = "0";
        boxes().forEach(function (b) { b.checked = false; });
        refresh();
      }
    });
    refresh();
  }

  // New order: cart lines (server-rendered rows added by htmx), steppers capped at stock.
  function cartLines() { return document.getElementById("cart-lines"); }
  function cartRefresh() {
    var lines = cartLines();
    if (!lines) { return; }
    var total = 0, count = 0;
    lines.querySelectorAll("tr[data-product]").forEach(function (row) {
      var input = row.querySelector("input[name=quantity]");
      var qty = parseInt(input.value, 10) || 0;
      var line = qty * parseFloat(row.dataset.price);
      row.querySelector("[data-line-total]").textContent = "$" + line.toLocaleString(undefined, {minimumFractionDigits: 2, maximumFractionDigits: 2});
      total += line; count += 1;
    });
    document.getElementById("cart-total").textContent = "$" + total.toLocaleString(undefined, {minimumFractionDigits: 2, maximumFractionDigits: 2});
    document.getElementById("cart-empty").hidden = count > 0;
    document.getElementById("place-order").disabled = count === 0;
  }
  function clampQty(input, value) {
    var max = parseInt(input.max, 10);
    input.value = Math.max(1, Math.min(value, isNaN(max) ? value : max));
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var id = e.detail.elt.dataset && e.detail.elt.dataset.addProduct;
    if (!id) { return; }
    var row = cartLines() && cartLines().querySelector('tr[data-product="' + id + '"]');
    if (row) {  // already in the cart: one more, up to the stock
      e.preventDefault();
      var input = row.querySelector("input[name=quantity]");
      clampQty(input, (parseInt(input.value, 10) || 0) + 1);
      cartRefresh();
    }
  });
  document.addEventListener("click", function (e) {
    var step = e.target.closest("[data-step]");
    if (step) {
      var row = step.closest("tr");
      var input = row.querySelector("input[name=quantity]");
      var next = (parseInt(input.value, 10) || 0) + parseInt(step.dataset.step, 10);
      if (next < 1) { row.remove(); } else { clampQty(input, next); }
      cartRefresh();
    }
    var remove = e.target.closest("[data-remove-line]");
    if (remove) { remove.closest("tr").remove(); cartRefresh(); }
  });
  document.addEventListener("input", function (e) {
    if (e.target.name === "quantity" && e.target.closest("#cart-lines")) { cartRefresh(); }
  });
  document.addEventListener("change", function (e) {
    if (e.target.name === "quantity" && e.target.closest("#cart-lines")) {
      clampQty(e.target, parseInt(e.target.value, 10) || 1);
      cartRefresh();
    }
  });

  function init(root) {
    localiseTimes(root);
    root.querySelectorAll("form[data-bulk]").forEach(initBulk);
    if (root.querySelector && root.querySelector("#cart-lines")) { cartRefresh(); }
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (e) {
    localiseTimes(e.detail.elt);
    if (cartLines()) { cartRefresh(); }
  });
})();
