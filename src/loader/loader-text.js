// The only strings shown before the wasm (and with it the Rust translation layer) is available:
// the skeleton's label and the fallbacks for when it cannot run at all (keys: `<kind>Title`
// and `<kind>` for each placeholder kind but the skeleton).
const TEXT = {
  en: {
    loading: "Fleet Deck is loading",
    nowasmTitle: "Fleet Deck needs WebAssembly",
    nowasm: "This browser has WebAssembly turned off (for example by Apple's Lockdown Mode), so the card cannot run here. Home Assistant itself keeps working; open the dashboard in a browser with WebAssembly to use Fleet Deck.",
    oldbrowserTitle: "This browser is too old for Fleet Deck",
    oldbrowser: "The card needs a browser from 2023 or later (Safari and iOS 16.4, Firefox 113, Chrome 80 or newer). Home Assistant itself keeps working; update the browser, or open the dashboard on another device, to use Fleet Deck.",
    crashedTitle: "Fleet Deck stopped",
    crashed: "The card stopped because of an internal error. The details are in the browser console; reloading the page starts it again.",
  },
  de: {
    loading: "Fleet Deck wird geladen",
    nowasmTitle: "Fleet Deck braucht WebAssembly",
    nowasm: "In diesem Browser ist WebAssembly abgeschaltet (zum Beispiel durch Apples Blockierungsmodus), daher kann die Karte hier nicht laufen. Home Assistant selbst funktioniert weiter; öffne das Dashboard in einem Browser mit WebAssembly, um Fleet Deck zu nutzen.",
    oldbrowserTitle: "Dieser Browser ist zu alt für Fleet Deck",
    oldbrowser: "Die Karte braucht einen Browser ab 2023 (Safari und iOS 16.4, Firefox 113, Chrome 80 oder neuer). Home Assistant selbst funktioniert weiter; aktualisiere den Browser oder öffne das Dashboard auf einem anderen Gerät, um Fleet Deck zu nutzen.",
    crashedTitle: "Fleet Deck wurde angehalten",
    crashed: "Die Karte wurde wegen eines internen Fehlers angehalten. Details stehen in der Browser-Konsole; ein Neuladen der Seite startet sie neu.",
  },
};

export function loaderText(language) {
  const lang = String(language || "en").slice(0, 2).toLowerCase();
  return TEXT[lang] || TEXT.en;
}
