// Keyboard shortcuts without per-page wiring: an element that declares data-shortcut="k" (space-separated keys
// allowed) is clicked when that key is pressed. Keys are ignored while typing and with Ctrl/Alt/Meta held.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
  if (document.querySelector(".lightbox")) return; // the open lightbox owns the keys (←/→ step, Esc closes)
  const t = event.target;
  if (t instanceof HTMLElement && (t.isContentEditable || t.closest("input, textarea, select, [contenteditable='true']"))) return;
  const key = event.key;
  for (const el of document.querySelectorAll("[data-shortcut]")) {
    if (el.getAttribute("data-shortcut").split(" ").includes(key) && !el.hasAttribute("disabled")) {
      event.preventDefault();
      el.click();
      return;
    }
  }
});

// The theme choice outlives the page: the server reads this cookie when it prerenders (Services/ThemeCookie.cs).
window.aeTheme = {
  save: (dark) => {
    document.cookie = `ae-theme=${dark ? "dark" : "light"}; path=/; max-age=31536000; samesite=lax`;
  },
};

// The label masks on tiles: one switch for every page, kept in a cookie that the server reads while prerendering
// (html[data-tile-masks], Services/TileMasksCookie.cs), so no script runs before the first paint.
window.aeTileMasks = {
  shown: () => document.documentElement.dataset.tileMasks !== "off",
  set: (shown) => {
    document.cookie = `ae-tile-masks=${shown ? "on" : "off"}; path=/; max-age=31536000; samesite=lax`;
    document.documentElement.dataset.tileMasks = shown ? "on" : "off";
  },
};
