// Time first: once the member changes the kind or the times, the count and the button follow
// without a reload. The panel asks the page itself for the new range (the same address the
// "Show" button would open) and takes its panel over, so the count is the server's own.
// While it asks, the old count and button step aside, so nobody books a range they no longer
// mean. Without this script "Show" does the same with a reload.
(function () {
  var asked = 0;

  function stale(panel) {
    panel.classList.add("stale");
    panel.querySelectorAll(".book-any button, a#book-any").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
      if (button.tagName === "BUTTON") {
        button.disabled = true;
      }
    });
    var hint = panel.querySelector(".stale-hint");
    if (hint) {
      hint.hidden = false;
    }
  }

  function refresh(form, focusedId) {
    var panel = form.closest(".time-first");
    var query = new URLSearchParams(new FormData(form)).toString();
    var address = form.getAttribute("action").split("#")[0] + "?" + query;
    var mine = ++asked;
    stale(panel);
    panel.setAttribute("aria-busy", "true");
    fetch(address, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (mine !== asked) {
          return;  // a newer choice is on its way
        }
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .getElementById("time-first");
        if (!fresh) {
          throw new Error("no panel");
        }
        panel.innerHTML = fresh.innerHTML;
        panel.classList.remove("stale");
        panel.removeAttribute("aria-busy");
        window.history.replaceState(null, "", address + "#time-first");
        var focused = focusedId && document.getElementById(focusedId);
        if (focused) {
          focused.focus();
        }
      })
      .catch(function () {
        // Offline or refused: the old count stays aside and "Show" still works.
        panel.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || !form.classList.contains("range")) {
      return;
    }
    refresh(form, event.target.id);
  });
})();
