export async function ensureInfrastructure(_options: { quiet?: boolean } = {}): Promise<void> {}
