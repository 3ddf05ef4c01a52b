/* "Use my location" on the service-area step: progressive enhancement. Without JavaScript or
   geolocation the pincode field is all there is. The position goes only to our own server,
   in the form; no map, no third party. */
(function () {
  "use strict";
  var box = document.querySelector("[data-locate]");
  if (!box || !("geolocation" in navigator)) return;
  var form = box.closest("form");
  var lat = form.querySelector("input[name=lat]");
  var lng = form.querySelector("input[name=lng]");
  var pincode = form.querySelector("input[name=pincode]");
  var status = box.querySelector("[data-locate-status]");
  box.hidden = false;
  box.querySelector("[data-locate-button]").addEventListener("click", function () {
    status.textContent = box.dataset.wait;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(5);
        lng.value = position.coords.longitude.toFixed(5);
        status.textContent = box.dataset.done;
      },
      function () {
        lat.value = lng.value = "";
        status.textContent = box.dataset.fail;
        if (pincode) pincode.focus();
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  });
  if (pincode) {
    pincode.addEventListener("input", function () {
      lat.value = lng.value = "";
      status.textContent = "";
    });
  }
})();
