/** An RFC 9457 problem document the API answered, with what a page needs to explain it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: Array<{ path: string; message: string }>,
    /** Seconds, from `Retry-After` (429 and 503 carry it). */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(detail ?? title);
  }

  /** One sentence for a person: what went wrong and, when the API says so, when to try again. */
  get explanation(): string {
    const what = this.detail ?? this.title;
    if (this.status === 429)
      return `Too many requests: ${what}. Try again in ${this.retryAfterSeconds ?? 1} s.`;
    if (this.status === 503)
      return `Temporarily unavailable: ${what}. Try again in ${this.retryAfterSeconds ?? 1} s.`;
    if (this.status === 504) return `The shop took too long to answer: ${what}.`;
    return what;
  }
}

export async function problemFrom(response: Response): Promise<ApiProblem> {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  let body: { title?: string; detail?: string; errors?: Array<{ path: string; message: string }> } =
    {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not a problem document (a proxy's page, say): the status line says enough.
  }
  return new ApiProblem(
    response.status,
    body.title ?? response.statusText ?? `HTTP ${response.status}`,
    body.detail,
    body.errors ?? [],
    retryAfterSeconds,
  );
}
