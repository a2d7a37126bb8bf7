export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** One request to the gateway; the body is parsed when it is JSON of any kind. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  { token, headers = {}, body }: CallOptions = {},
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && typeof body !== 'string'
        ? { 'content-type': 'application/json' }
        : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    body: isJson && text ? (JSON.parse(text) as unknown) : undefined,
    text,
  };
}

export function isProblem(answer: Answer, status: number): boolean {
  const body = answer.body as { status?: unknown } | undefined;
  return (
    answer.status === status &&
    answer.headers.get('content-type')?.startsWith('application/problem+json') === true &&
    body?.status === status
  );
}
