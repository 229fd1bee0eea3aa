// The only strings shown before the wasm (and with it the Rust translation layer) is available:
// the skeleton's label and the two fallbacks for when it cannot run at all.
const TEXT = {
  en: {
    loading: "Fleet Deck is loading",
    noWasmTitle: "Fleet Deck needs WebAssembly",
    noWasm: "This browser has WebAssembly turned off (for example by Apple's Lockdown Mode), so the card cannot run here. Home Assistant itself keeps working; open the dashboard in a browser with WebAssembly to use Fleet Deck.",
    crashedTitle: "Fleet Deck stopped",
    crashed: "The card stopped because of an internal error. The details are in the browser console; reloading the page starts it again.",
  },
  de: {
    loading: "Fleet Deck wird geladen",
    noWasmTitle: "Fleet Deck braucht WebAssembly",
    noWasm: "In diesem Browser ist WebAssembly abgeschaltet (zum Beispiel durch Apples Blockierungsmodus), daher kann die Karte hier nicht laufen. Home Assistant selbst funktioniert weiter; öffne das Dashboard in einem Browser mit WebAssembly, um Fleet Deck zu nutzen.",
    crashedTitle: "Fleet Deck wurde angehalten",
    crashed: "Die Karte wurde wegen eines internen Fehlers angehalten. Details stehen in der Browser-Konsole; ein Neuladen der Seite startet sie neu.",
  },
};

export function loaderText(language) {
  const lang = String(language || "en").slice(0, 2).toLowerCase();
  return TEXT[lang] || TEXT.en;
}
