// Drag and drop onto the upload form; progress while uploading; refresh the list afterwards.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("upload-form");
    if (!form) return;
    var input = document.getElementById("files");
    var progress = document.getElementById("upload-progress");
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (e) { e.preventDefault(); form.classList.add("dragover"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function () { form.classList.remove("dragover"); });
    });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      form.requestSubmit();
    });
    form.addEventListener("htmx:xhr:progress", function (e) {
      if (!e.detail.lengthComputable) return;
      progress.hidden = false;
      progress.value = Math.round((e.detail.loaded / e.detail.total) * 100);
    });
    form.addEventListener("htmx:afterRequest", function () {
      progress.hidden = true;
      form.reset();
      document.body.dispatchEvent(new Event("documents-changed"));
    });
  });
})();
