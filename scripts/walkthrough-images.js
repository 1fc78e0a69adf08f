// The walkthrough's screenshots as they ship in the .vsix: media/walkthrough/<name>.webp, made from docs/images/<name>.png
// at the walkthrough's largest display width (VS Code shows its media 400 to 800 px wide). The full-size PNGs stay in
// the repository for the README; the .vsix carries only these (a fifth of the size).
// Usage: node scripts/walkthrough-images.js   (after retaking any of the screenshots below; uses Debian's Chromium)
const fs = require('fs');
const path = require('path');
const { ROOT, launchBrowser } = require('./lib/codeServer');

/** The screenshots package.json's walkthrough shows, by name. */
const NAMES = ['networks', 'quickfix', 'diagram-dark', 'ping-output', 'verify-mismatch'];
const WIDTH = 800;
const QUALITY = 0.8;

async function main() {
  const outDir = path.join(ROOT, 'media/walkthrough');
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    for (const name of NAMES) {
      const png = fs.readFileSync(path.join(ROOT, 'docs/images', `${name}.png`)).toString('base64');
      // Chromium decodes, scales (high-quality resampling) and encodes: no image tool beyond the browser the tests use.
      const dataUrl = await page.evaluate(
        async ({ png, width, quality }) => {
          const img = new Image();
          img.src = `data:image/png;base64,${png}`;
          await img.decode();
          const scale = Math.min(1, width / img.naturalWidth);
          const canvas = document.createElement('canvas');
          canvas.width = Math.round(img.naturalWidth * scale);
          canvas.height = Math.round(img.naturalHeight * scale);
          const ctx = canvas.getContext('2d');
          ctx.imageSmoothingQuality = 'high';
          ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
          return canvas.toDataURL('image/webp', quality);
        },
        { png, width: WIDTH, quality: QUALITY },
      );
      if (!dataUrl.startsWith('data:image/webp;base64,')) throw new Error(`${name}: this Chromium cannot encode WebP`);
      const out = path.join(outDir, `${name}.webp`);
      fs.writeFileSync(out, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
      console.log(`${path.relative(ROOT, out)}: ${(fs.statSync(out).size / 1024).toFixed(0)} KiB`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
