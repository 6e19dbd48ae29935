// `import source from 'file.js?text'` gives a file's text (see the text-import plugin in scripts/build.mjs).
declare module '*?text' {
  const text: string;
  export default text;
}
