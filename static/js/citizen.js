/* The citizen's pages, progressively enhanced: every page works without this file.
   - "Use my location" fills the search form's hidden lat/lng fields.
   - Locality names typed in the search box get suggestions (GET /places/?q=).
   - The booking form shows only the fields that apply (data-show-when="name=value,…"). */
(function () {
  "use strict";

  function locate(button) {
    var form = button.form, status = form.querySelector(".locate-status");
    var lat = form.querySelector("input[name=lat]"), lng = form.querySelector("input[name=lng]");
    var where = form.querySelector("input[name=where]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.finding;
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(5);
        lng.value = pos.coords.longitude.toFixed(5);
        where.value = "";
        status.textContent = button.dataset.found;
      }, function () {
        status.textContent = button.dataset.failed;
      }, {timeout: 15000, maximumAge: 600000});
    });
    where.addEventListener("input", function () {
      if (where.value) { lat.value = ""; lng.value = ""; status.textContent = ""; }
    });
  }

  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list")), timer = null, last = "";
    if (!list) return;
    input.addEventListener("input", function () {
      var text = input.value.trim();
      clearTimeout(timer);
      if (text.length < 2 || /^\d+$/.test(text) || text === last || /\d{6}/.test(text)) return;
      timer = setTimeout(function () {
        last = text;
        fetch("/places/?q=" + encodeURIComponent(text), {headers: {"Accept": "application/json"}})
          .then(function (r) { return r.ok ? r.json() : {results: []}; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.value;
              option.label = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 250);
    });
  }

  function valueOf(form, name) {
    var inputs = form.querySelectorAll("[name='" + name + "']"), values = [];
    inputs.forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) values.push(el.value); }
      else values.push(el.value);
    });
    return values;
  }

  function toggles(form) {
    var parts = form.querySelectorAll("[data-show-when]");
    function update() {
      parts.forEach(function (part) {
        var rule = part.dataset.showWhen.split("="), wanted = rule[1].split(",");
        var shown = valueOf(form, rule[0]).some(function (v) { return wanted.indexOf(v) >= 0; });
        // A part inside a hidden part stays hidden with it; its own rule decides otherwise.
        part.hidden = !shown;
      });
    }
    form.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("button.locate").forEach(function (button) {
    if ("geolocation" in navigator) locate(button);
  });
  document.querySelectorAll("input[list]").forEach(suggest);
  document.querySelectorAll("form").forEach(function (form) {
    if (form.querySelector("[data-show-when]")) toggles(form);
  });
})();
