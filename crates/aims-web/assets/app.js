// Small behaviours that must not be inline scripts (the Content Security Policy forbids those).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Times from the records in the reader's own time zone; the precise UTC value stays on hover (title).
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (!isNaN(d.getTime())) {
      el.textContent = d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    }
  });
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
  // "Add a row" buttons: copy the <template> named by data-add-row into the element named by data-target, with
  // __i__ replaced by the next free row index, and put the cursor in the new row's first field. Without
  // JavaScript the forms still offer empty rows.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-add-row]");
    if (!btn) { return; }
    var tpl = document.getElementById(btn.getAttribute("data-add-row"));
    var target = document.getElementById(btn.getAttribute("data-target"));
    if (!tpl || !target) { return; }
    var i = parseInt(btn.getAttribute("data-next") || "0", 10);
    var holder = document.createElement(tpl.content.firstElementChild.tagName === "TR" ? "tbody" : "div");
    holder.innerHTML = tpl.innerHTML.split("__i__").join(String(i)).split("__n__").join(String(i + 1));
    var row = holder.firstElementChild;
    target.appendChild(row);
    btn.setAttribute("data-next", String(i + 1));
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  });
});
