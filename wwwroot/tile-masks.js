// Applied before the first paint (a synchronous script in <head>): tiles never flash masks that were switched off.
if (localStorage.getItem("ae.tileMasks") === "off") document.documentElement.dataset.tileMasks = "off";
