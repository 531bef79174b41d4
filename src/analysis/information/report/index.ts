/** Reports of the per-word information measure: records, the figure (SVG → HTML, PNG), the terminal table. */
export { informationRecord, relativeLogSigma, type ImageLayout, type InformationLayerRecord, type InformationRecord, type RecordSubject } from './record.js';
export { informationSvg, dataRange, INFORMATION_COLORMAP, type FigureOptions } from './svg.js';
export { depthChart, PALETTE, type DepthSeries } from './depth-chart.js';
export { informationHtml, type ReportOptions } from './html.js';
export { informationPng, svgToPng, type PngOptions } from './png.js';
export { informationTable, type TableOptions } from './terminal.js';
export type { Svg } from './draw.js';
export { informationImagePng, informationSummary, inputPicture, keptMap, stackPngs } from './image.js';
