/* Offline check of a Sevamitra ID card token (layout: sevamitra/badges/tokens.py).
   77 bytes, base64url without padding (103 characters):
   version(1)=1 | provider id (u32 BE) | badge number (u32 BE) | issued day (u16 BE) |
   valid-until day (u16 BE) | Ed25519 signature (64) of the first 13 bytes.
   Days count from 2020-01-01. Needs WebCrypto Ed25519; nothing is fetched. */
(function () {
  "use strict";
  var form = document.getElementById("badge-check");
  var result = document.getElementById("badge-result");
  if (!form || !result) { return; }
  var TOKEN = /^[A-Za-z0-9_-]{103}$/;
  var EPOCH = Date.UTC(2020, 0, 1);
  var DAY = 86400000;

  function b64urlDecode(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function b64urlEncode(bytes) {
    var bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function extract(text) {
    text = (text || "").trim();
    var at = text.lastIndexOf("/verify/");
    if (at >= 0) { text = text.slice(at + 8); }
    return text.split("?")[0].split("#")[0].replace(/^[\/ ]+|[\/ ]+$/g, "");
  }
  function dayText(day) {
    var d = new Date(EPOCH + day * DAY);
    var dd = String(d.getUTCDate()).padStart(2, "0");
    var mm = String(d.getUTCMonth() + 1).padStart(2, "0");
    return dd + "/" + mm + "/" + d.getUTCFullYear();
  }
  function today() {
    var now = new Date();
    return Math.round((Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) - EPOCH) / DAY);
  }

  async function check(token) {
    if (!TOKEN.test(token)) { return null; }
    var raw = b64urlDecode(token);
    if (raw.length !== 77 || b64urlEncode(raw) !== token) { return null; }
    var view = new DataView(raw.buffer);
    var claims = {
      version: view.getUint8(0),
      provider: view.getUint32(1),
      badge: view.getUint32(5),
      issued: view.getUint16(9),
      valid: view.getUint16(11)
    };
    if (claims.version !== 1 || !claims.provider || !claims.badge || claims.issued > claims.valid) {
      return null;
    }
    var key = await crypto.subtle.importKey(
      "raw", b64urlDecode(form.dataset.key), { name: "Ed25519" }, false, ["verify"]);
    var ok = await crypto.subtle.verify(
      { name: "Ed25519" }, key, raw.slice(13, 77), raw.slice(0, 13));
    return ok ? claims : null;
  }

  function part(name) { return result.querySelector('[data-part="' + name + '"]'); }

  function show(verdict, claims) {
    var data = form.dataset;
    var name = cap(verdict);  // data-label-not_valid-hi is dataset.labelNot_validHi
    part("label-hi").textContent = data["label" + name + "Hi"];
    part("label-en").textContent = data["label" + name + "En"];
    part("text-hi").textContent = data["text" + name + "Hi"];
    part("text-en").textContent = data["text" + name + "En"];
    result.className = "verdict verdict-" + verdict;
    part("facts").hidden = !claims;
    part("online").hidden = !claims;
    if (claims) {
      part("number").textContent = "SM-" + String(claims.badge).padStart(7, "0");
      part("provider").textContent = String(claims.provider);
      part("issued").textContent = dayText(claims.issued);
      part("valid").textContent = dayText(claims.valid);
    }
    result.dataset.verdict = verdict;
    result.hidden = false;
  }
  function cap(s) { return s.charAt(0).toUpperCase() + s.slice(1); }

  form.addEventListener("submit", function (event) {
    if (!(window.crypto && crypto.subtle)) { return; }  // the server checks it instead
    event.preventDefault();
    var token = extract(form.elements.token.value);
    check(token).then(function (claims) {
      if (!claims) { show("not_valid", null); return; }
      var now = today();
      if (now < claims.issued) { show("not_valid", null); return; }
      show(now > claims.valid ? "expired" : "valid", claims);
    }).catch(function (error) {
      if (error && error.name === "NotSupportedError") {
        show("not_valid", null);
        part("label-hi").textContent = "";
        part("label-en").textContent = "";
        part("text-hi").textContent = form.dataset.unsupported;
        part("text-en").textContent = "";
        return;
      }
      show("not_valid", null);
    });
  });
}());
