// A "Copy" button beside a read-only field (the calendar address): shown only where this
// script runs, so nobody without JavaScript meets a button that does nothing.
document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.dataset.copy);
  var status = button.closest(".copy-field").querySelector(".copied");
  button.hidden = false;
  button.addEventListener("click", function () {
    field.select();
    var done = function () { status.textContent = status.dataset.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });
});
