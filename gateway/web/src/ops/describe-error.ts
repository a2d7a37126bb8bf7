import { ApiProblem } from '../api/problem';

/** One sentence for the error banner. */
export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) return sentence(`HTTP ${error.status}: ${error.explanation}`);
  if (error instanceof TypeError) return 'The gateway could not be reached.';
  if (error instanceof Error) return sentence(error.message);
  return sentence(String(error));
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
