import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';
import { logsDir } from './system';

/**
 * The services write JSON lines (one file per process under .data/logs/, for machines and log
 * shippers); this follows them as people read logs: pino-pretty, one colour per level, the
 * request and trace ids kept.
 */
export function followLogs(names: string[]): Promise<number> {
  const files = (
    names.length > 0
      ? names
      : fs.existsSync(logsDir)
        ? fs.readdirSync(logsDir).map((f) => path.basename(f, '.log'))
        : []
  )
    .map((name) => path.join(logsDir, `${name}.log`))
    .filter((file) => fs.existsSync(file));
  if (files.length === 0) {
    console.error(`no logs in ${logsDir}: start the system first (npm start)`);
    return Promise.resolve(1);
  }
  const tail = spawn('tail', ['-n', '20', '-F', ...files], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pretty = spawn(
    path.join(repoRoot, 'infra', 'node_modules', '.bin', 'pino-pretty'),
    ['--translateTime', 'SYS:HH:MM:ss.l', '--ignore', 'pid,hostname', '--singleLine'],
    { cwd: repoRoot, stdio: ['pipe', 'inherit', 'inherit'] },
  );
  tail.stdout.pipe(pretty.stdin);
  return new Promise((resolve) => pretty.on('exit', (code) => resolve(code ?? 0)));
}
