// A button marked data-print prints the page (a static file: the Content-Security-Policy allows no inline handler).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
