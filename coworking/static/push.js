// The account page's "notifications on this phone": asks the browser for permission,
// subscribes it with the server's key and stores the subscription (POST
// /api/v1/me/push-subscriptions), or ends it again. Every text comes from the page, in the
// member's language.
(function () {
  "use strict";
  var section = document.getElementById("push-settings");
  if (!section || !section.getAttribute("data-key") || !("serviceWorker" in navigator)
      || !("PushManager" in window) || !("Notification" in window)) {
    return;  // the page says why notifications cannot be turned on here
  }
  var on = section.querySelector("#push-on");
  var off = section.querySelector("#push-off");
  var status = section.querySelector("#push-status");
  var api = section.getAttribute("data-api");
  var stored = "push-subscription-id";
  section.querySelector(".push-unsupported").hidden = true;

  function text(name) { return section.getAttribute("data-" + name); }
  function say(message) { status.textContent = message; }
  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  }
  function serverKey() {
    var base64 = text("key").replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }
  function send(method, url, body) {
    return fetch(url, {method: method, credentials: "same-origin", body: body,
                       headers: {"Content-Type": "application/json", "Accept": "application/json",
                                 "X-CSRFToken": text("csrf")}});
  }

  var ready = navigator.serviceWorker.register(text("worker"), {scope: "/"})
    .then(function () { return navigator.serviceWorker.ready; });
  ready.then(function (registration) { return registration.pushManager.getSubscription(); })
    .then(function (subscription) {
      show(Boolean(subscription) && Boolean(localStorage.getItem(stored)));
    })
    .catch(function () { show(false); });

  on.addEventListener("click", function () {
    on.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        throw new Error(text("denied"));
      }
      return ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({userVisibleOnly: true,
                                                 applicationServerKey: serverKey()});
    }).then(function (subscription) {
      return send("POST", api, JSON.stringify(subscription.toJSON())).then(function (response) {
        return response.json().then(function (answer) {
          if (response.status !== 201) {
            subscription.unsubscribe();
            throw new Error(answer.detail || text("failed"));
          }
          localStorage.setItem(stored, String(answer.id));
          show(true);
          say(text("on"));
        });
      });
    }).catch(function (error) {
      say(error && error.message && error.message.indexOf(" ") > 0 ? error.message : text("failed"));
    }).then(function () { on.disabled = false; });
  });

  off.addEventListener("click", function () {
    off.disabled = true;
    var id = localStorage.getItem(stored);
    ready.then(function (registration) { return registration.pushManager.getSubscription(); })
      .then(function (subscription) { return subscription && subscription.unsubscribe(); })
      .then(function () { return id ? send("DELETE", api + "/" + id) : null; })
      .then(function () {
        localStorage.removeItem(stored);
        show(false);
        say(text("off"));
      })
      .catch(function () { say(text("failed")); })
      .then(function () { off.disabled = false; });
  });
})();
