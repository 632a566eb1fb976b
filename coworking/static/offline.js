// Puts the service worker in charge of this site for a signed-in member, so "My bookings"
// and today's check-in page open without signal too, and tells it which pages this one
// names to keep up to date (links marked data-offline-keep).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) {
    return;
  }
  navigator.serviceWorker.register(script.getAttribute("data-worker"), {scope: "/"})
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) {
      var keep = Array.prototype.map.call(document.querySelectorAll("a[data-offline-keep]"),
                                          function (link) { return link.getAttribute("href"); });
      if (keep.length && registration.active) {
        registration.active.postMessage({keep: keep});
      }
    })
    .catch(function () { /* the site works without it, only not offline */ });
})();
