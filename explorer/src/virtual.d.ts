declare module 'virtual:guide' {
  /** The guide's introduction, as HTML. */
  export const intro: string;
  /** One section per `## ` heading of docs/guide/choosing-a-loss.md, as HTML. */
  export const sections: { slug: string; title: string; html: string }[];
}
