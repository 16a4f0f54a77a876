// A button marked data-print opens the browser's print dialog (no inline handler: the CSP
// allows only our own scripts).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
