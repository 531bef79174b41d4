/** Pictures of attributions: HTML token heatmaps, terminal colours, PNG overlays. */
export { ATTRIBUTION_DIVERGING, Colormap, INFERNO, RDBU, contrastRatio, lightness, relativeLuminance, textColorOn, toHex, type Rgb } from './colormap.js';
export { cumulativeSumThreshold, formatValue, maxAbs, normalise } from './scale.js';
export { wordSpans, type ScaleMode, type TokenRow, type WordSpan } from './tokens.js';
export { renderTokenHeatmapHtml, tokenHeatmapSection, tokenColors, type HeatmapGroup, type TokenHeatmapOptions } from './token-heatmap-html.js';
export { detectColorMode, renderTokensTerminal, xterm256, type ColorMode, type TerminalOptions } from './terminal.js';
export { toMap, toRgb, type ImageInput, type RawImage, type RgbImage } from './image-input.js';
export { overlay, type Overlay, type OverlayOptions, type Sign } from './image-overlay.js';
export { resizeMap, type Map2d, type UpsampleMode } from './resample.js';
export { renderOverlayPng, renderPanelsPng, type Panel, type PanelsOptions } from './side-by-side.js';
export { renderLineChartSvg, niceTicks, type LineChartOptions, type Series } from './line-chart.js';
