/** Every medium and end-to-end test runs on embedded PGlite, and also on PostgreSQL when TEST_DATABASE_URL is set. */
export type Engine = 'pglite' | 'postgres';

export const ENGINES: Engine[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** Cheap scrypt for test accounts (N = 2^10); production uses 2^15. */
export const TEST_HASH_COST = 10;
