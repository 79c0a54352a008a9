/* TELEPATI citizen portal: the report form's helpers, reports drafted offline, and the
   service worker's registration. Plain ES5 for old phones; no dependencies.

   Drafts: a report submitted without a connection is kept in IndexedDB (text fields and
   photos as Blobs) under its one-time submission token, and sent as a multipart POST to the
   form's address when the connection returns (the `online` event, the next visit, or
   Background Sync in the service worker, which loads this file too). The server makes one
   report per token, so sending a draft twice never makes two reports. */
(function (root) {
  "use strict";
  var DB_NAME = "telepati", STORE = "drafts";

  // --- Draft store (window and service worker) ---------------------------------------
  function open() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "token" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function all() { return run("readonly", function (s) { return s.getAll(); }); }
  function put(draft) { return run("readwrite", function (s) { s.put(draft); }); }
  function remove(token) { return run("readwrite", function (s) { s["delete"](token); }); }

  function send(draft) {
    return fetch(draft.tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (csrf) {
        var body = new FormData();
        draft.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
        draft.files.forEach(function (file) { body.append("photos", file.blob, file.name); });
        return fetch(draft.action, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRFToken": csrf.csrf, "X-Telepati-Fetch": "1" }
        });
      })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      });
  }

  var sending = null;
  /* Send every waiting draft once; `notify({kind, ...})` hears each outcome. A draft stays
     when the network or the server fails (sent later), and is marked when it is refused. */
  function sendAll(notify) {
    if (sending) return sending;
    sending = all().then(function (drafts) {
      return drafts.filter(function (d) { return !d.refused; }).reduce(function (chain, draft) {
        return chain.then(function () {
          return send(draft).then(function (result) {
            if (result.status === 201) {
              return remove(draft.token).then(function () {
                notify({ kind: "sent", number: result.data.tracking_number, token: draft.token });
              });
            }
            if (result.status === 400) {
              draft.refused = result.data;
              return put(draft).then(function () { notify({ kind: "refused", data: result.data }); });
            }
          }, function () { /* offline again: keep it */ });
        });
      }, Promise.resolve());
    }).then(function () { sending = null; }, function () { sending = null; });
    return sending;
  }

  root.TelepatiDrafts = { all: all, put: put, remove: remove, sendAll: sendAll };
  if (typeof document === "undefined") return;  // service worker: the store is all it needs

  // --- Page ------------------------------------------------------------------------------
  /* Texts come from the page (translated there: see the #portal-texts template in base.html). */
  var T = {};
  var texts = document.querySelectorAll("#portal-texts [data-key]");
  for (var t = 0; t < texts.length; t++) T[texts[t].getAttribute("data-key")] = texts[t].textContent;
  var shown = {};

  function notice(text, link) {
    var box = document.getElementById("portal-notice");
    if (!box) {
      box = document.createElement("div");
      box.id = "portal-notice";
      box.className = "notice";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      var main = document.getElementById("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href; a.textContent = link.text;
      box.appendChild(document.createTextNode(" "));
      box.appendChild(a);
    }
  }

  function trackUrl(number) {
    var base = document.querySelector("#portal-texts").getAttribute("data-track-url");
    return base + "?nomor=" + encodeURIComponent(number);
  }

  function heard(event) {
    if (event.kind === "sent") {
      if (shown[event.token]) return;
      shown[event.token] = true;
      notice(T.sent + " " + event.number, { href: trackUrl(event.number), text: T.track });
    } else if (event.kind === "refused") {
      notice(T.refused, { href: document.querySelector("#portal-texts").getAttribute("data-form-url"), text: T.form });
      restoreRefused();
    }
  }

  function trySend() {
    if (!root.indexedDB || !navigator.onLine) return;
    sendAll(heard);
  }

  function newToken() {
    var bytes = new Uint8Array(16), out = "";
    (root.crypto || root.msCrypto).getRandomValues(bytes);
    for (var i = 0; i < bytes.length; i++) out += ("0" + bytes[i].toString(16)).slice(-2);
    return out;
  }

  /* Photos larger than MAX_SIDE are redrawn smaller on a canvas before they leave the phone
     (the server re-encodes them anyway); anything that cannot be drawn is sent as it is. */
  var MAX_SIDE = 1600;
  function shrink(file) {
    if (!file.size || !/^image\/(jpeg|png|webp)$/.test(file.type) || !root.URL || !root.HTMLCanvasElement) {
      return Promise.resolve(file);
    }
    return new Promise(function (resolve) {
      var url = URL.createObjectURL(file), img = new Image();
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      img.onload = function () {
        URL.revokeObjectURL(url);
        var scale = MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight);
        if (scale >= 1) { resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          resolve(new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }));
        }, "image/jpeg", 0.85);
      };
      img.src = url;
    });
  }

  /* The form's fields with its photos made smaller. */
  function formData(form) {
    var data = new FormData(form), photos = data.getAll("photos");
    data["delete"]("photos");
    return Promise.all(photos.map(shrink)).then(function (small) {
      small.forEach(function (file) { if (file.size) data.append("photos", file, file.name); });
      return data;
    });
  }

  function saveDraft(form) {
    return formData(form).then(function (data) {
      var fields = [], files = [];
      data.forEach(function (value, name) {
        if (name === "csrfmiddlewaretoken") return;
        if (typeof value === "string") fields.push([name, value]);
        else if (value.size) files.push({ name: value.name || "foto.jpg", blob: value });
      });
      return put({
        token: form.elements.submission_token.value, action: form.action,
        tokenUrl: form.getAttribute("data-token-url"), fields: fields, files: files,
        created: Date.now()
      });
    }).then(function () {
      form.reset();
      form.elements.submission_token.value = newToken();
      notice(T.saved);
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.sync) reg.sync.register("telepati-drafts").catch(function () {});
        });
      }
    });
  }

  function restoreRefused() {
    var form = document.getElementById("report-form");
    if (!form || !root.indexedDB) return;
    all().then(function (drafts) {
      var draft = drafts.filter(function (d) { return d.refused; })[0];
      if (!draft) return;
      draft.fields.forEach(function (pair) {
        var el = form.elements[pair[0]];
        if (!el || pair[0] === "submission_token") return;
        var list = el.tagName ? [el] : el;  // several check boxes share a name
        for (var i = 0; i < list.length; i++) {
          if (list[i].type === "checkbox") { if (list[i].value === pair[1]) list[i].checked = true; }
          else if (list[i].type !== "file") list[i].value = pair[1];
        }
      });
      try {
        var transfer = new DataTransfer();
        draft.files.forEach(function (f) { transfer.items.add(new File([f.blob], f.name, { type: f.blob.type })); });
        form.elements.photos.files = transfer.files;
      } catch (e) { /* old browser: photos must be picked again */ }
      var errors = draft.refused.errors || {}, lines = [];
      Object.keys(errors).forEach(function (k) { lines.push(errors[k].join(" ")); });
      notice(T.fix + " " + (draft.refused.message || "") + " " + lines.join(" "));
      showQuestions(form);
      remove(draft.token);
    });
  }

  function showQuestions(form) {
    var chosen = form.elements.category.value;
    var groups = form.querySelectorAll(".questions");
    for (var i = 0; i < groups.length; i++) groups[i].hidden = groups[i].getAttribute("data-category") !== chosen;
  }

  var map = null, marker = null;
  function setPoint(form, lat, lng) {
    form.elements.latitude.value = lat.toFixed(6);
    form.elements.longitude.value = lng.toFixed(6);
    document.getElementById("location-status").textContent = T.located + " " + lat.toFixed(5) + ", " + lng.toFixed(5);
    if (map) {
      if (marker) marker.setLatLng([lat, lng]); else marker = root.L.marker([lat, lng]).addTo(map);
    }
    document.body.dispatchEvent(new CustomEvent("location-set"));
  }

  function loadMap(form) {
    var box = document.getElementById("map");
    box.hidden = false;
    if (map) return;
    var css = document.createElement("link");
    css.rel = "stylesheet"; css.href = form.getAttribute("data-leaflet-css");
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = form.getAttribute("data-leaflet-js");
    script.onerror = function () { document.getElementById("location-status").textContent = T.mapFailed; };
    script.onload = function () {
      var lat = parseFloat(form.elements.latitude.value), lng = parseFloat(form.elements.longitude.value);
      var has = !isNaN(lat) && !isNaN(lng);
      map = root.L.map(box).setView(has ? [lat, lng] : [3.54, 98.70], has ? 17 : 14);
      root.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
        maxZoom: 19, attribution: "&copy; OpenStreetMap"
      }).addTo(map);
      if (has) marker = root.L.marker([lat, lng]).addTo(map);
      map.on("click", function (e) { setPoint(form, e.latlng.lat, e.latlng.lng); });
    };
    document.head.appendChild(script);
  }

  function submit(form, event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button.disabled) return;
    if (!root.indexedDB || !root.fetch) { form.submit(); return; }
    if (!navigator.onLine) { saveDraft(form); return; }
    button.disabled = true;
    formData(form).then(function (data) {
      return fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Telepati-Fetch": "1" }
      });
    }).then(function (response) {
      if (response.status === 201) return response.json().then(function (d) { root.location.assign(d.url); });
      form.submit();  // let the server show its messages next to the fields
    }, function () {
      button.disabled = false;
      saveDraft(form);
    });
  }

  function start() {
    var script = document.querySelector("script[data-sw]");
    if (navigator.serviceWorker && script) {
      navigator.serviceWorker.register(script.getAttribute("data-sw"), { scope: "/" }).catch(function () {});
      navigator.serviceWorker.addEventListener("message", function (e) { if (e.data && e.data.kind) heard(e.data); });
    }
    root.addEventListener("online", trySend);
    var form = document.getElementById("report-form");
    if (form) {
      form.elements.submission_token.value = newToken();  // a page from the cache repeats tokens
      form.addEventListener("submit", function (e) { submit(form, e); });
      form.elements.category.addEventListener("change", function () { showQuestions(form); });
      document.getElementById("map-open").addEventListener("click", function () { loadMap(form); });
      document.getElementById("locate").addEventListener("click", function () {
        if (!navigator.geolocation) { document.getElementById("location-status").textContent = T.noGps; return; }
        navigator.geolocation.getCurrentPosition(function (p) {
          setPoint(form, p.coords.latitude, p.coords.longitude);
          if (map) map.setView([p.coords.latitude, p.coords.longitude], 17);
        }, function () { document.getElementById("location-status").textContent = T.noGps; }, { timeout: 15000 });
      });
      restoreRefused();
    }
    if (root.indexedDB) {
      all().then(function (drafts) {
        if (!drafts.filter(function (d) { return !d.refused; }).length) return;
        if (navigator.onLine) trySend(); else notice(T.waiting);
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(self);
