import { waitUntil } from './processes';

export interface CaughtMail {
  id: string;
  messageId: string;
  to: string[];
  subject: string;
  text: string;
}

interface Summary {
  ID: string;
  MessageID: string;
  To: { Address: string }[];
  Subject: string;
}

/** Reads what Mailpit caught through its REST API (/api/v1). */
export function mailpitClient(baseUrl: string) {
  async function json<T>(path: string): Promise<T> {
    const answer = await fetch(`${baseUrl}${path}`);
    if (!answer.ok) throw new Error(`Mailpit ${path}: ${answer.status}`);
    return (await answer.json()) as T;
  }

  async function messages(): Promise<CaughtMail[]> {
    const list = await json<{ messages: Summary[] }>('/api/v1/messages?limit=500');
    return Promise.all(
      list.messages.map(async (summary) => {
        const full = await json<{ Text: string }>(`/api/v1/message/${summary.ID}`);
        return {
          id: summary.ID,
          messageId: summary.MessageID,
          to: summary.To.map((to) => to.Address),
          subject: summary.Subject,
          text: full.Text,
        };
      }),
    );
  }

  return {
    messages,
    async waitForMessage(match: (mail: CaughtMail) => boolean, timeoutMs: number) {
      let found: CaughtMail | undefined;
      await waitUntil(
        async () => {
          found = (await messages()).find(match);
          return found !== undefined;
        },
        { timeoutMs, intervalMs: 500 },
      );
      if (!found) throw new Error(`no matching email in Mailpit within ${timeoutMs} ms`);
      return found;
    },
  };
}
