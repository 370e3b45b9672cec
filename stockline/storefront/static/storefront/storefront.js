// Storefront niceties. Every flow works without this file: forms post to the server, which
// holds the rules (stock caps, checkout). It only adds − / + buttons to quantity inputs and
// keeps the cart's totals current while typing.
(function () {
  "use strict";

  function clamp(input, value) {
    var min = input.min === "" ? 1 : Number(input.min);
    var max = input.max === "" ? Infinity : Number(input.max);
    return Math.min(Math.max(value, min), max);
  }

  function stepper(box) {
    var input = box.querySelector("input[type=number]");
    if (!input) return;
    var minus = document.createElement("button");
    var plus = document.createElement("button");
    minus.type = plus.type = "button";
    minus.textContent = "−";
    plus.textContent = "+";
    minus.setAttribute("aria-label", "Fewer");
    plus.setAttribute("aria-label", "More");
    minus.tabIndex = plus.tabIndex = -1;
    box.insertBefore(minus, input);
    box.appendChild(plus);
    function refresh() {
      var value = Number(input.value) || 0;
      minus.disabled = value <= (Number(input.min) || 1);
      plus.disabled = input.max !== "" && value >= Number(input.max);
    }
    function step(by) {
      input.value = clamp(input, (Number(input.value) || 0) + by);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      refresh();
    }
    minus.addEventListener("click", function () { step(-1); });
    plus.addEventListener("click", function () { step(1); });
    input.addEventListener("input", refresh);
    refresh();
  }

  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

  // The server's totals plus what typing has changed since the page was drawn.
  function cartTotals() {
    var totalCell = document.querySelector("[data-cart-total]");
    var unitsCell = document.querySelector("[data-cart-units]");
    var total = Number(totalCell.dataset.cartTotal);
    var units = Number(unitsCell.dataset.cartUnits);
    document.querySelectorAll("[data-cart-line]").forEach(function (line) {
      var input = line.querySelector("input[type=number]");
      if (!input) return;
      var was = Number(line.dataset.quantity);
      var quantity = Math.max(Number(input.value) || 0, 0);
      var price = Number(line.dataset.price);
      line.querySelector("[data-line-total]").textContent = money.format(price * quantity);
      total += price * (quantity - was);
      units += quantity - was;
    });
    totalCell.textContent = money.format(total);
    unitsCell.textContent = units;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-stepper]").forEach(stepper);
    if (document.querySelector("[data-cart-line] input[type=number]")) {
      document.addEventListener("input", function (event) {
        if (event.target.closest("[data-cart-line]")) cartTotals();
      });
    }
  });
})();
