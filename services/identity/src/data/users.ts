import type { Role, User } from '@shop/contracts';
import type { Pool, Tx } from '@shop/postgres';
import { isUniqueViolation } from './postgres-errors';

export interface StoredUser extends User {
  passwordHash: string;
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
}

const columns = 'id, email, name, role, password_hash';

/** Thrown by `insertUser` when the email is taken. */
export class EmailTakenError extends Error {
  constructor(cause: unknown) {
    super('email already registered', { cause });
    this.name = 'EmailTakenError';
  }
}

export async function insertUser(tx: Tx, user: NewUser): Promise<StoredUser> {
  try {
    const { rows } = await tx.query<UserRow>(
      `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${columns}`,
      [user.id, user.email, user.name, user.role, user.passwordHash],
    );
    return fromRow(rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) throw new EmailTakenError(error);
    throw error;
  }
}

/** Inserts unless the email exists; undefined when it did (nothing changed). */
export async function insertUserUnlessEmailExists(
  tx: Tx,
  user: NewUser,
): Promise<StoredUser | undefined> {
  const { rows } = await tx.query<UserRow>(
    `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (email) DO NOTHING
     RETURNING ${columns}`,
    [user.id, user.email, user.name, user.role, user.passwordHash],
  );
  return rows[0] && fromRow(rows[0]);
}

export async function findUserByEmail(
  db: Pool | Tx,
  email: string,
): Promise<StoredUser | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${columns} FROM users WHERE email = $1`, [
    email,
  ]);
  return rows[0] && fromRow(rows[0]);
}

export async function findUserById(db: Pool | Tx, id: string): Promise<StoredUser | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${columns} FROM users WHERE id = $1`, [id]);
  return rows[0] && fromRow(rows[0]);
}

export async function updatePasswordHash(db: Pool | Tx, id: string, hash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, hash]);
}

function fromRow(row: UserRow): StoredUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
  };
}
