import type { Request } from 'express';
import type { z } from 'zod';
import { AppError, type FieldError } from './errors';

/**
 * One entry per offending field. An unknown key in a strict schema is reported under its own
 * name, so a client sending `{ "role": "admin" }` to a strict body is told which field was refused.
 */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: joinPath([...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    return [{ path: joinPath(issue.path), message: issue.message }];
  });
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export function validationError(error: z.core.$ZodError, part: string): AppError {
  return new AppError('VALIDATION', `The request ${part} is invalid`, {
    errors: fieldErrors(error),
    cause: error,
  });
}

function parse<S extends z.ZodType>(schema: S, value: unknown, part: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, part);
  return result.data;
}

/** Parses the JSON body; a failure is a 400 problem with `errors[]` naming each field. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parse(schema, req.body, 'body');
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parse(schema, req.query, 'query');
}

export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parse(schema, req.params, 'path parameters');
}
