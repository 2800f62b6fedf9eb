// Selecting text in a record puts it in the redaction form (reviewers only see the form).
document.addEventListener("mouseup", function () {
  var field = document.getElementById("redact-phrase");
  var text = document.querySelector(".record .text");
  var selection = window.getSelection();
  if (!field || !text || !selection || selection.isCollapsed) return;
  if (!text.contains(selection.anchorNode) || !text.contains(selection.focusNode)) return;
  var phrase = selection.toString().replace(/\s+/g, " ").trim();
  if (phrase.length >= 2 && phrase.length <= 500) field.value = phrase;
});
