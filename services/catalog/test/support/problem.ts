import type { ProblemDetails } from '@shop/service-kit';

export function problemOf(response: { body: unknown }): ProblemDetails {
  return response.body as ProblemDetails;
}
