// The two blessed-contrib widgets pix uses, loaded one by one: the package's index pulls in maps,
// pictures and markdown that a terminal dashboard of events does not need.
declare module 'blessed-contrib/lib/widget/charts/line.js' {
  import type { Widgets } from 'blessed';

  interface LineOptions extends Widgets.BoxOptions {
    showLegend?: boolean;
    wholeNumbersOnly?: boolean;
    xLabelPadding?: number;
    xPadding?: number;
    numYLabels?: number;
    showNthLabel?: number;
    style?: { line?: string; text?: string; baseline?: string };
  }

  interface LineElement extends Widgets.BoxElement {
    setData(series: { title: string; x: string[]; y: number[]; style?: { line: string } }[]): void;
  }

  const line: (options: LineOptions) => LineElement;
  export = line;
}
