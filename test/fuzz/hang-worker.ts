// A stand-in for case-worker.ts that never returns on a case containing "loops forever": the
// hang bounded.ts must catch.

export default function exerciseCase(text: string): string[] {
  if (text.includes("loops forever")) for (;;);
  return [];
}
