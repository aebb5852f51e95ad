// Partner directory search: a new search goes back to the first page of results.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("directory-search");
  if (!form) return;
  form.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.elt === form) delete event.detail.parameters.page;
  });
});
