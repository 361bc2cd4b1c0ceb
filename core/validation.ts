import { z } from 'zod/v4';
import { InvalidInput } from './errors';

/**
 * Parses input with a zod schema; on failure throws InvalidInput whose message names where the
 * input came from and each wrong field: "row 6, email: not an email address".
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInput(describeIssues(result.error, where));
}

export function describeIssues(error: z.ZodError, where?: string): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`);
  return (where ? `${where}, ` : '') + parts.join('; ');
}
