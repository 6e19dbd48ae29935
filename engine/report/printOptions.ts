// torch.set_printoptions: the state PyTorch's printing reads.

export type PrintOptions = {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  /** null: chosen per tensor, as PyTorch does by default. */
  sciMode: boolean | null;
};

export const defaultPrintOptions: Readonly<PrintOptions> = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };

export const printOptions: PrintOptions = { ...defaultPrintOptions };

export function resetPrintOptions(): void {
  Object.assign(printOptions, defaultPrintOptions);
}
