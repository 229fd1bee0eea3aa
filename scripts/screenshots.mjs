// Takes the README's demo screenshots (docs/screenshots/*.png) from the built card running on
// the simulated Home Assistant: `node scripts/screenshots.mjs` after `npm run build`.
import { mkdirSync } from "node:fs";
import { launch, openDemo } from "../tests/browser/helpers.mjs";

const out = "docs/screenshots";
mkdirSync(out, { recursive: true });
const env = await launch();
try {
  const shots = [
    ["containers", {}, 1000],
    ["fleets", { config: { view: "fleets" } }, 1000],
    ["phone-dark", { dark: 1, width: 360 }, 400],
  ];
  for (const [name, params, width] of shots) {
    const { page, context } = await openDemo(env, params, { viewport: { width, height: 6000 } });
    // A window taller than the card, so every row is on screen and draws its sparkline (rows
    // far off screen do not subscribe to history); and the demo's sticky toolbar would cover
    // the card's header in a shot of a card taller than the window.
    await page.addStyleTag({ content: ".toolbar { position: static !important; }" });
    await page.waitForTimeout(800);
    await page.locator("fleet-deck-card").screenshot({ path: `${out}/${name}.png` });
    console.log(`${out}/${name}.png`);
    await context.close();
  }
} finally {
  await env.close();
}
