/* Call-centre console: small speed-ups on top of plain forms (the console works without).
   - As the caller's number is typed, who is calling appears in the live region below it.
   - As a locality name is typed, matching localities are offered (a datalist). */
(function () {
  "use strict";

  function digits(text) {
    // Devanagari digits too, as a Hindi keyboard types them.
    return text.replace(/[\u0966-\u096f]/g, function (d) { return String(d.charCodeAt(0) - 0x966); })
      .replace(/\D/g, "");
  }

  function fetchInto(url, handle) {
    var controller = window.AbortController ? new AbortController() : null;
    fetch(url, { credentials: "same-origin", signal: controller && controller.signal })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(handle)
      .catch(function () {});
    return controller;
  }

  var phone = document.querySelector(".next-caller input[name=phone]");
  var preview = document.getElementById("caller-preview");
  if (phone && preview) {
    var lastPhone = "", pendingPhone = null;
    phone.addEventListener("input", function () {
      var number = digits(phone.value).slice(-10);
      if (number.length !== 10 || number === lastPhone) {
        if (number.length !== 10) { lastPhone = ""; preview.textContent = ""; }
        return;
      }
      lastPhone = number;
      if (pendingPhone) { pendingPhone.abort(); }
      pendingPhone = fetchInto(phone.form.dataset.preview + "?phone=" + number, function (html) {
        preview.innerHTML = html;  // our own server-rendered, escaped fragment
      });
    });
  }

  var place = document.querySelector("input[name=place]");
  var list = document.getElementById("localities");
  if (place && list) {
    var timer = null, pendingPlace = null;
    place.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = place.value.trim();
      if (text.length < 2 || /\d/.test(digits(text))) { return; }
      timer = window.setTimeout(function () {
        if (pendingPlace) { pendingPlace.abort(); }
        pendingPlace = fetchInto(list.dataset.source + "?q=" + encodeURIComponent(text), function (body) {
          var data;
          try { data = JSON.parse(body); } catch (e) { return; }
          list.textContent = "";
          data.localities.forEach(function (loc) {
            var option = document.createElement("option");
            option.value = loc.value;
            option.label = loc.label;
            list.appendChild(option);
          });
        });
      }, 200);
    });
  }
})();
