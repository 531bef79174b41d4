/**
 * A uPlot chart that follows its container's width. The plot is rebuilt when its data or
 * options change; the marker (the chosen checkpoint's step) only redraws it.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height?: number;
  /** An x value to mark with a vertical line. */
  marker?: number;
  label: string;
}

export function UPlotChart({ options, data, height = 220, marker, label }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markerRef = useRef(marker);
  markerRef.current = marker;

  useEffect(() => {
    const el = box.current!;
    const drawMarker = (u: uPlot): void => {
      const x = markerRef.current;
      if (x === undefined) return;
      const px = u.valToPos(x, 'x', true);
      const { ctx } = u;
      ctx.save();
      ctx.strokeStyle = 'rgba(79, 70, 229, 0.75)';
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
      ctx.beginPath();
      ctx.moveTo(px, u.bbox.top);
      ctx.lineTo(px, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.restore();
    };
    const u = new uPlot({
      ...options,
      width: Math.max(200, el.clientWidth),
      height,
      hooks: { ...options.hooks, draw: [...(options.hooks?.draw ?? []), drawMarker] },
    }, data, el);
    plot.current = u;
    const observer = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [options, data, height]);

  useEffect(() => {
    plot.current?.redraw(false);
  }, [marker]);

  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
