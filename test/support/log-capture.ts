import pino from 'pino';
import type { Logger } from 'pino';

/** A pino logger whose JSON lines are kept in memory (parsed) for assertions. */
export function captureLogs(level: pino.Level = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}
