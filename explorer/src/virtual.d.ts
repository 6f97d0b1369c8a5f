declare module 'virtual:guide' {
  /** The guide's introduction, as HTML. */
  export const intro: string;
  /** One section per `## ` heading of docs/guide/choosing-a-loss.md, as HTML. */
  export const sections: { slug: string; title: string; html: string }[];
}

declare module 'virtual:diou' {
  /** The DIoU simulation's modes ('paper', 'exact') with their per-step error curves. */
  export const modes: {
    mode: string;
    file: string;
    points: number;
    cases: number;
    steps: number;
    curves: Record<string, number[]>;
  }[];
  /** docs/diou-simulation/README.md as HTML ('' when absent). */
  export const readme: string;
}

declare module 'virtual:benchmarks' {
  /** The file the benchmark page renders (docs/benchmarks.md, else bench/RESULTS.md), or null. */
  export const source: string | null;
  /** That file as HTML. */
  export const html: string;
}
