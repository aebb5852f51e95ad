// Statement of Commitment pages: live word counts and autosave state. No inline scripts (CSP).
(() => {
  const countWords = (text) => {
    const trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  };

  const updateCount = (textarea) => {
    const counter = document.getElementById(`${textarea.id}_count`);
    if (!counter) return;
    const words = countWords(textarea.value);
    const limit = parseInt(textarea.dataset.wordLimit || "0", 10);
    if (limit) {
      const over = words > limit;
      counter.textContent = over
        ? `${words} words: ${words - limit} over the limit of ${limit}`
        : `${words} of ${limit} words`;
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("fw-bold", over);
      textarea.setAttribute("aria-invalid", over ? "true" : "false");
    } else {
      counter.textContent = `${words} word${words === 1 ? "" : "s"}`;
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("textarea[data-word-count]").forEach((textarea) => {
      updateCount(textarea);
      textarea.addEventListener("input", () => updateCount(textarea));
    });

    const form = document.querySelector("form[data-autosave]");
    if (!form) return;
    const conflict = document.getElementById("conflict-summary");
    if (conflict) conflict.focus();
    // While a conflict is on screen, autosave waits for the user to save deliberately.
    form.addEventListener("htmx:confirm", (event) => {
      if (form.dataset.paused || form.dataset.submitting) event.preventDefault();
    });
    // A deliberate save waits for an autosave in flight, so that it carries the new version.
    let inFlight = 0;
    form.addEventListener("htmx:afterRequest", () => {
      inFlight = Math.max(0, inFlight - 1);
    });
    form.addEventListener("submit", (event) => {
      if (inFlight > 0) {
        event.preventDefault();
        form.dataset.submitting = "1";
        const retry = () => (inFlight > 0 ? setTimeout(retry, 100) : form.requestSubmit());
        retry();
        return;
      }
      form.dataset.paused = form.dataset.paused || "submitting";
    });
    form.addEventListener("htmx:beforeRequest", () => {
      inFlight += 1;
      const status = document.getElementById("save-status");
      if (status) status.textContent = "Saving…";
    });
    document.body.addEventListener("htmx:afterSwap", () => {
      if (document.querySelector("[data-autosave-paused]")) form.dataset.paused = "1";
    });
    document.body.addEventListener("htmx:sendError", () => {
      const status = document.getElementById("save-status");
      if (status) status.textContent = "Not saved: check your connection. Your text is still here.";
    });
  });
})();
