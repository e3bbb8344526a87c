// Koers workbench: small progressive enhancements. Every page works without this file.
"use strict";

(function () {
  var VALID = /^[+\-\u2212]?[0-3]$/;
  var lang = document.documentElement.lang || "en";
  var MESSAGES = {
    nl: "Vul een heel getal in van -3 tot +3 (leeg is 0).",
    en: "Enter a whole number from -3 to +3 (empty is 0)."
  };
  var REASON = {
    nl: "Een oordeel van 2 of meer vraagt om een onderbouwing.",
    en: "A judgement of 2 or more needs a reason."
  };

  function say(table, language) {
    return table[language] || table.en;
  }

  function hasNote(form, input) {
    // A strong judgement is also explained by a note of its own (name "c:<row>:<column>").
    var key = input.name.slice(2);
    var noted = false;
    form.querySelectorAll("[data-note]").forEach(function (field) {
      if (field.getAttribute("data-note") === key && field.value.trim() !== "") { noted = true; }
    });
    return noted;
  }

  function needsReason(form) {
    var strong = false;
    form.querySelectorAll("[data-cell]").forEach(function (input) {
      var value = valueOf(input);
      if (value !== null && Math.abs(value) >= 2 && !hasNote(form, input)) { strong = true; }
    });
    var written = false;
    form.querySelectorAll(".reason textarea").forEach(function (area) {
      if (area.value.trim() !== "") { written = true; }
    });
    return strong && !written;
  }

  function valueOf(input) {
    var text = input.value.trim();
    if (text === "") { return 0; }
    if (!VALID.test(text)) { return null; }
    return parseInt(text.replace("\u2212", "-"), 10);
  }

  function colour(input) {
    var cell = input.closest("td");
    var value = valueOf(input);
    for (var v = -3; v <= 3; v += 1) { cell.classList.remove("v" + v); }
    if (value !== null) { cell.classList.add("v" + value); }
  }

  function check(input) {
    var form = input.form;
    var message = form.querySelector(".field-error");
    var bad = valueOf(input) === null;
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    colour(input);
    var anyBad = form.querySelector("[data-cell][aria-invalid='true']");
    if (anyBad) {
      message.textContent = say(MESSAGES, lang);
    } else {
      message.textContent = needsReason(form) ? say(REASON, lang) : "";
    }
    return !bad;
  }

  function move(input, rowStep, columnStep) {
    var cell = input.closest("td");
    var row = cell.parentElement;
    var column = Array.prototype.indexOf.call(row.children, cell);
    var rows = row.parentElement.children;
    var rowIndex = Array.prototype.indexOf.call(rows, row) + rowStep;
    if (rowIndex < 0 || rowIndex >= rows.length) { return; }
    var target = rows[rowIndex].children[column + columnStep];
    var next = target && target.querySelector("[data-cell]");
    if (next) { next.focus(); next.select(); }
  }

  var KEYS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

  document.querySelectorAll("[data-grid]").forEach(function (grid) {
    grid.addEventListener("keydown", function (event) {
      var step = KEYS[event.key];
      if (!step || !event.target.matches("[data-cell]") || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      event.preventDefault();
      move(event.target, step[0], step[1]);
    });
    grid.addEventListener("input", function (event) {
      if (event.target.matches("[data-cell]")) { check(event.target); }
    });
    grid.addEventListener("focusin", function (event) {
      if (event.target.matches("[data-cell]")) { event.target.select(); }
    });
  });

  // Opening an edit form moves the focus into it, so typing starts where the eye goes.
  document.querySelectorAll("details.edit").forEach(function (details) {
    details.addEventListener("toggle", function () {
      var first = details.querySelector("textarea, input:not([type=hidden])");
      if (details.open && first) { first.focus(); }
    });
  });

  document.querySelectorAll(".judgement-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var cells = form.querySelectorAll("[data-cell]");
      var first = null;
      cells.forEach(function (input) {
        if (!check(input) && !first) { first = input; }
      });
      if (first) {
        event.preventDefault();
        first.focus();
      } else if (needsReason(form)) {
        event.preventDefault();
        form.querySelector(".field-error").textContent = say(REASON, lang);
        form.querySelector(".reason textarea").focus();
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches(".reason textarea, [data-note]") && !needsReason(form)) {
        var message = form.querySelector(".field-error");
        if (message.textContent === say(REASON, lang)) { message.textContent = ""; }
      }
    });
  });
}());

// --- Signals dashboard (issue 5) ---------------------------------------------------------------
// An import can take a moment: the button says so and cannot be pressed twice.
(function () {
  var BUSY = { nl: "Bezig met importeren\u2026", en: "Importing\u2026" };
  var lang = document.documentElement.lang || "en";
  document.querySelectorAll("form.import-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (!button) { return; }
      form.setAttribute("aria-busy", "true");
      button.disabled = true;
      button.textContent = BUSY[lang] || BUSY.en;
    });
  });
}());

// --- Chain reactions (issue 7) ------------------------------------------------------------------
// A chosen shock is marked beside its select, so the form shows at a glance what is forced.
document.querySelectorAll("select[data-shock]").forEach((select) => {
  const mark = () => select.classList.toggle("shocked", select.value !== "");
  select.addEventListener("change", mark);
  mark();
});

// --- Workshop rounds (issue 9) ------------------------------------------------------------------
// The facilitator's page asks its JSON twin for the progress every few seconds while the round
// is open, and fills in the counts and the table; without this file, reloading does the same.
(function () {
  document.querySelectorAll("[data-poll][data-poll-live='true']").forEach(function (section) {
    var url = section.getAttribute("data-poll");
    var seconds = Math.max(2, parseInt(section.getAttribute("data-poll-seconds"), 10) || 5);
    var body = section.querySelector("[data-poll-table] tbody");
    function field(name, value) {
      var found = section.querySelector("[data-poll-field='" + name + "']");
      if (found) { found.textContent = String(value); }
    }
    function fill(progress) {
      field("submissions", progress.submissions);
      field("complete", progress.complete);
      if (!body || progress.participants.length === 0) { return; }
      var rows = document.createDocumentFragment();
      progress.participants.forEach(function (person) {
        var row = document.createElement("tr");
        var name = document.createElement("th");
        name.scope = "row";
        name.textContent = person.name;
        var given = document.createElement("td");
        given.textContent = person.given + " / " + progress.items + (person.complete ? " \u2713" : "");
        row.appendChild(name);
        row.appendChild(given);
        rows.appendChild(row);
      });
      body.replaceChildren(rows);
    }
    function poll() {
      if (document.hidden) { return; }
      fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (page) { if (page) { fill(page.progress); } })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }
    window.setInterval(poll, seconds * 1000);
  });
}());
