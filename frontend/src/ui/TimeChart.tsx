/**
 * A uPlot time-series chart. The component owns one uPlot instance: created on mount, fed new data with
 * setData (no re-creation per update), resized with its box, destroyed on unmount so nothing leaks.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  colour: string;
  dashed?: boolean;
}

interface Props {
  /** What the chart shows; read by screen readers, shown as the caption. */
  title: string;
  /** x in seconds since the epoch, then one array per series. */
  data: uPlot.AlignedData;
  series: ChartSeries[];
  height?: number;
  /** A sparkline: no axes, no legend, no cursor. */
  sparkline?: boolean;
  yLabel?: string;
}

function options(props: Props, width: number): uPlot.Options {
  const { series, sparkline = false, height = 220 } = props;
  return {
    width,
    height,
    legend: { show: !sparkline },
    cursor: { show: !sparkline },
    axes: sparkline ? [{ show: false }, { show: false }] : [{}, { label: props.yLabel ?? '' }],
    // One bucket alone would make uPlot span years around it; give it a minute each side instead.
    scales: { x: { time: true, range: (_plot, min, max) => (min === max ? [min - 60, max + 60] : [min, max]) } },
    series: [
      {},
      ...series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: sparkline ? 1.5 : 2,
        ...(s.dashed === true ? { dash: [6, 4] } : {}),
        // a line needs two buckets: show the points while there are fewer
        points: { show: props.data[0].length < 3 },
      })),
    ],
  };
}

export function TimeChart(props: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const shape = props.series.map((s) => s.label).join('|');

  useEffect(() => {
    const element = box.current;
    if (element === null) {
      return;
    }
    const plot = new uPlot(options(props, Math.max(120, element.clientWidth)), props.data, element);
    chart.current = plot;
    const resize = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(120, element.clientWidth), height: props.height ?? 220 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
    // A new set of series needs a new chart; new data for the same series does not.
  }, [shape, props.sparkline]);

  useEffect(() => {
    chart.current?.setData(props.data);
  }, [props.data]);

  return (
    <figure class={props.sparkline === true ? 'chart sparkline' : 'chart'}>
      <div ref={box} role="img" aria-label={props.title} />
      {props.sparkline !== true && <figcaption>{props.title}</figcaption>}
    </figure>
  );
}
