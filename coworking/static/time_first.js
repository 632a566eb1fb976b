// Time first: once the member changes the kind or the times, the count and the button shown
// still speak of the old range. They step aside until "Show" counts the new one, so nobody
// books a range they no longer mean.
document.addEventListener("change", function (event) {
  var form = event.target.form;
  if (!form || !form.classList.contains("range")) {
    return;
  }
  var panel = form.closest(".time-first");
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
});
