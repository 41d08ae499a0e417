// The header's menu groups are dropdowns on a wide screen: one open at a time, closed by a click elsewhere or Escape.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.menu-group[open]").forEach((group) => {
    if (!group.contains(event.target)) group.open = false;
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu-group[open]").forEach((group) => {
    group.open = false;
    group.querySelector("summary").focus();
  });
});
