// A new space's web address follows its name while the admin types it ("Mölln" ->
// "moelln", as the server derives it when the field is left empty), until the admin
// writes an address of their own.
(function () {
  var name = document.getElementById("name");
  var slug = document.getElementById("slug");
  if (!name || !slug) {
    return;
  }
  var spelled = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"};
  function fromName(text) {
    return text.toLowerCase().replace(/[äöüß]/g, function (c) { return spelled[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  }
  var own = slug.value !== "" && slug.value !== fromName(name.value);
  slug.addEventListener("input", function () { own = slug.value !== ""; });
  name.addEventListener("input", function () {
    if (!own) {
      slug.value = fromName(name.value);
    }
  });
})();
