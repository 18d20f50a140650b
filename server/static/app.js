// The header (menu button at narrow widths, the People menu), labels for tables shown as cards,
// keyboard access to boxes that scroll; then the upload form's drag and drop and progress.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpMenuToggle() {
    var nav = document.querySelector("nav.topbar");
    var toggle = nav && nav.querySelector(".menu-toggle");
    if (!toggle) return;
    toggle.hidden = false;
    function set(open) {
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () { set(!nav.classList.contains("open")); });
    nav.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("open") && !e.defaultPrevented) {
        set(false);
        toggle.focus();
      }
    });
  }

  // The menu button pattern (WAI-ARIA APG): Enter, Space or Down opens at the first person,
  // Up at the last; arrows, Home and End move; Escape closes back onto the button; Tab or a
  // click elsewhere closes.
  function setUpPeopleMenu() {
    var button = document.querySelector(".people-button");
    var menu = document.getElementById("people-menu");
    if (!button || !menu) return;
    button.setAttribute("role", "button");
    button.setAttribute("aria-haspopup", "true");
    button.setAttribute("aria-expanded", "false");
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", "People");
    var items = Array.prototype.slice.call(menu.querySelectorAll("a"));
    items.forEach(function (a) {
      a.setAttribute("role", "menuitem");
      a.tabIndex = -1;
      a.parentNode.setAttribute("role", "none");
    });
    function isOpen() { return !menu.hidden; }
    function open(at) {
      menu.hidden = false;
      button.setAttribute("aria-expanded", "true");
      if (at !== null && items.length) items[at < 0 ? items.length - 1 : at].focus();
    }
    function close(refocus) {
      if (!isOpen()) return;
      menu.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (refocus) button.focus();
    }
    button.addEventListener("click", function (e) {
      e.preventDefault();
      if (isOpen()) close(false); else open(0);
    });
    button.addEventListener("keydown", function (e) {
      if (e.key === " " || e.key === "ArrowDown") { e.preventDefault(); open(0); }
      else if (e.key === "ArrowUp") { e.preventDefault(); open(-1); }
      else if (e.key === "Escape" && isOpen()) { e.preventDefault(); close(true); }
    });
    menu.addEventListener("keydown", function (e) {
      var i = items.indexOf(document.activeElement);
      if (e.key === "ArrowDown") { e.preventDefault(); items[(i + 1) % items.length].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); items[(i - 1 + items.length) % items.length].focus(); }
      else if (e.key === "Home") { e.preventDefault(); items[0].focus(); }
      else if (e.key === "End") { e.preventDefault(); items[items.length - 1].focus(); }
      else if (e.key === "Escape") { e.preventDefault(); close(true); }
      else if (e.key === "Tab") { close(false); }
      else if (e.key === " ") { e.preventDefault(); if (i >= 0) items[i].click(); }
    });
    document.addEventListener("click", function (e) {
      if (isOpen() && !menu.contains(e.target) && !button.contains(e.target)) close(false);
    });
  }

  // Cells of a .cards table get their column's heading, shown before them at narrow widths.
  function labelCards(root) {
    Array.prototype.forEach.call(root.querySelectorAll("table.cards"), function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.querySelector(".visually-hidden") ? "" : th.textContent.trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, n) {
          if (heads[n] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[n]);
        });
      });
    });
  }

  // A box that scrolls can be reached and scrolled with the keyboard.
  function focusableScrollers(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".table-wrap, .page-text"), function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", box.classList.contains("page-text") ? "Page text" : "Table (scrolls sideways)");
        }
      }
    });
  }

  // A button or form with data-confirm asks before it submits (before htmx sees the submit).
  document.addEventListener("submit", function (e) {
    // The upload form with no file chosen says so instead of sending nothing.
    if (e.target.id === "upload-form") {
      var chosen = Array.prototype.some.call(e.target.querySelectorAll("input[type=file]"), function (i) {
        return i.files && i.files.length > 0;
      });
      if (!chosen) {
        e.preventDefault();
        e.stopImmediatePropagation();
        var out = document.getElementById("upload-result");
        if (out) {
          out.innerHTML = "";
          var p = document.createElement("p");
          p.className = "reason";
          p.setAttribute("role", "alert");
          p.setAttribute("data-testid", "upload-error");
          p.textContent = "Choose at least one file to upload (or drop files here).";
          out.appendChild(p);
        }
        return;
      }
    }
    var button = e.submitter;
    var message = (button && button.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // Copy buttons (data-copy names the element whose text is copied); shown only where the
  // clipboard can be written (https, or this computer).
  function setUpCopyButtons(root) {
    Array.prototype.forEach.call(root.querySelectorAll("button[data-copy]"), function (button) {
      if (!navigator.clipboard || button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source) return;
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = "Copied";
          button.setAttribute("aria-live", "polite");
        }, function () {
          button.textContent = "Copy failed: select the text";
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons(document);
    setUpMenuToggle();
    setUpPeopleMenu();
    labelCards(document);
    focusableScrollers(document);
  });
  document.addEventListener("htmx:load", function () {
    labelCards(document);
    focusableScrollers(document);
  });
  window.addEventListener("resize", function () { focusableScrollers(document); });
})();

(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("upload-form");
    if (!form) return;
    var input = document.getElementById("files");
    var progress = document.getElementById("upload-progress");
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (e) { e.preventDefault(); form.classList.add("dragover"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function () { form.classList.remove("dragover"); });
    });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      form.requestSubmit();
    });
    form.addEventListener("htmx:xhr:progress", function (e) {
      if (!e.detail.lengthComputable) return;
      progress.hidden = false;
      progress.value = Math.round((e.detail.loaded / e.detail.total) * 100);
    });
    // A refused upload (too large, not allowed) shows its reason where the results go.
    form.addEventListener("htmx:beforeSwap", function (e) {
      if (e.detail.xhr.status >= 400 && e.detail.xhr.status < 500) {
        e.detail.shouldSwap = true;
        e.detail.isError = false;
      }
    });
    form.addEventListener("htmx:afterRequest", function () {
      progress.hidden = true;
      form.reset();
      document.body.dispatchEvent(new Event("documents-changed"));
    });
  });
})();
