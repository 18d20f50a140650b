// Review page keys: j/k move between facts, c confirm, x reject, e correct, u undo,
// n enter a fact by hand, Esc cancel a correction. The buttons work without this file.
(function () {
  "use strict";
  var current = null;
  var pending = null; // the fact an htmx action was sent for
  var busy = false; // from sending an action until its answer has settled
  var queued = []; // keys pressed meanwhile: htmx wires a new row only once it settles

  function facts() {
    return Array.prototype.slice.call(document.querySelectorAll("#review [data-fact]"));
  }

  function select(el) {
    if (current && current !== el) current.classList.remove("current");
    current = el;
    if (!el) return;
    el.classList.add("current");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = facts();
    if (!list.length) return;
    var i = list.indexOf(live());
    i = i < 0 ? 0 : Math.min(list.length - 1, Math.max(0, i + step));
    select(list[i]);
  }

  function nextOpen(from) {
    var list = facts();
    for (var i = list.indexOf(from) + 1; i < list.length; i++) {
      if (list[i].getAttribute("data-status") === "extracted") return list[i];
    }
    return from;
  }

  function live() {
    // htmx swaps a fact's row for a new element with the same id; follow it.
    if (current && !current.isConnected) current = document.getElementById(current.id);
    return current;
  }

  function press(key) {
    var scope = key === "n" ? document : live();
    var target = scope && scope.querySelector('[data-key="' + key + '"]');
    if (target) target.click();
  }

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  document.addEventListener("keydown", function (e) {
    if (!document.getElementById("review") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e.target)) {
      if (e.key === "Escape") {
        var row = e.target.closest("[data-fact]");
        var cancel = row && row.querySelector('[data-key="escape"]');
        if (cancel) { e.preventDefault(); cancel.click(); }
      }
      return;
    }
    if (!Object.prototype.hasOwnProperty.call(KEYS, e.key)) return;
    e.preventDefault();
    if (busy) queued.push(e.key);
    else KEYS[e.key]();
  });

  var KEYS = { j: function () { move(1); }, k: function () { move(-1); } };
  ["c", "x", "e", "u", "n"].forEach(function (key) { KEYS[key] = function () { press(key); }; });

  function idle() {
    busy = false;
    while (queued.length && !busy) KEYS[queued.shift()]();
  }

  document.addEventListener("focusin", function (e) {
    var row = e.target.closest && e.target.closest("#review [data-fact]");
    if (row && row !== current) {
      if (current) current.classList.remove("current");
      current = row;
      row.classList.add("current");
    }
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var row = e.detail.elt.closest && e.detail.elt.closest("[data-fact]");
    pending = row ? row.getAttribute("data-fact") : null;
    busy = true;
  });

  document.addEventListener("htmx:afterSettle", function () {
    var row = pending && document.getElementById("fact-" + pending);
    pending = null;
    if (row) settled(row);
    idle();
  });

  function settled(row) {
    // In a correction, start at the value (what OCR most often gets wrong), else the first field.
    var input = row.querySelector("form.fact-edit [name=value]") ||
      row.querySelector("form.fact-edit input:not([type=hidden]), form.fact-edit select");
    if (input) {
      current = row;
      row.classList.add("current");
      input.focus();
      return;
    }
    // After confirming or rejecting, go on to the next fact still to check.
    var status = row.getAttribute("data-status");
    select(status === "extracted" ? row : nextOpen(row));
  }

  ["htmx:sendError", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, function () { queued = []; busy = false; pending = null; });
  });

  // htmx does not swap refusals (a fact replaced by a new reading, a role taken away): say why.
  document.addEventListener("htmx:responseError", function (e) {
    var box = document.getElementById("review-error");
    if (!box) return;
    var doc = new DOMParser().parseFromString(e.detail.xhr.responseText || "", "text/html");
    var said = doc.querySelector("p") || doc.body;
    box.textContent = (said.textContent || "").trim() || "That did not work; reload the page.";
    box.hidden = false;
  });

  document.addEventListener("DOMContentLoaded", function () {
    var list = facts();
    if (!list.length) return;
    var wanted = location.hash && document.getElementById(location.hash.slice(1));
    select(wanted && wanted.hasAttribute("data-fact") ? wanted : list[0]);
  });
})();
