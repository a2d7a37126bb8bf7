export function adminUrl(): string {
  const url = process.env.POSTGRES_ADMIN_URL;
  if (!url) throw new Error('POSTGRES_ADMIN_URL is not set: is the infrastructure up?');
  return url;
}

export const silentLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
