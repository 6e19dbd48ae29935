// The command ids, as contributed in package.json, each with a link to what it runs.
export const enum CommandId {
  /** {@link Inspector.inspect} */
  InspectGradients = 'gradientLens.inspectGradients',
  /** {@link Inspector.showGraph} */
  ShowGraph = 'gradientLens.showGraph',
  /** {@link Inspector.clear} */
  ClearResults = 'gradientLens.clearResults',
  /** {@link Inspector.setInputs} */
  SetInputs = 'gradientLens.setInputs',
}
