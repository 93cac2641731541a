// Small behaviours that must not be inline scripts (the Content Security Policy forbids those).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
});
