/**
 * A script for `page.evaluate`: the lowest text contrast on the page (WCAG 2.x relative
 * luminance), over every element that holds text of its own, against the first opaque
 * background behind it. Returns the worst few, lowest first.
 */
export const LOWEST_CONTRAST = `(() => {
  const channel = (value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const parse = (colour) => {
    const parts = colour.match(/[\\d.]+/g)?.map(Number) ?? [0, 0, 0, 1];
    return { r: parts[0], g: parts[1], b: parts[2], a: parts[3] ?? 1 };
  };
  const luminance = ({ r, g, b }) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour.a > 0.5) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const results = [];
  for (const element of document.body.querySelectorAll('*')) {
    const text = [...element.childNodes]
      .filter((node) => node.nodeType === 3)
      .map((node) => node.textContent.trim())
      .join('');
    if (text === '' || element.closest('svg') || element.getClientRects().length === 0) continue;
    if (element.classList.contains('skip')) continue;
    const fore = luminance(parse(getComputedStyle(element).color));
    const back = luminance(background(element));
    const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
    results.push({ ratio: Math.round(ratio * 100) / 100, text: text.slice(0, 40), tag: element.tagName });
  }
  return results.sort((a, b) => a.ratio - b.ratio).slice(0, 3);
})()`;
