import { sql, type Kysely } from 'kysely';

/**
 * The case category catalogue (案件分类目录). `categories` holds one row per class (大类, B01) or
 * leaf (小类, B0101) with its identity and state; every attribute that a case depends on lives in
 * `category_versions`, one immutable row per change, so a case registered under version 3 keeps
 * version 3's time limits when the category changes later.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table categories (
      code text primary key check (code ~ '^[BEC][0-9]{2}([0-9]{2})?$'),
      parent_code text references categories(code),
      type text not null check (type in ('component','event','community')),
      level text not null check (level in ('class','leaf')),
      current_version integer not null check (current_version >= 1),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- a class is the 3-character prefix of its leaves, and its type letter is the type's
      constraint categories_shape check (
        (level = 'class' and parent_code is null and length(code) = 3)
        or (level = 'leaf' and parent_code is not null and length(code) = 5 and left(code, 3) = parent_code)
      ),
      constraint categories_type_letter check (
        (type = 'component' and code like 'B%') or (type = 'event' and code like 'E%') or (type = 'community' and code like 'C%')
      )
    )`.execute(db);
  await sql`create index categories_parent on categories (parent_code, code)`.execute(db);

  await sql`
    create table category_versions (
      code text not null references categories(code),
      version integer not null check (version >= 1),
      name text not null check (length(name) between 1 and 50),
      name_en text not null check (length(name_en) between 1 and 120),
      department_kind text,
      responsibility text check (responsibility in ('owner_first','locality_first')),
      time_limits jsonb check (jsonb_typeof(time_limits) = 'object'),
      verification text check (verification in ('reporter','patrol','committee','none')),
      resident_selectable boolean,
      keywords jsonb not null default '[]' check (jsonb_typeof(keywords) = 'array'),
      duplicate_radius_m integer check (duplicate_radius_m between 0 and 5000),
      note text,
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      created_by_name text not null,
      primary key (code, version),
      -- the rules of a leaf come as a whole; a class has none
      constraint category_versions_rules check (
        (department_kind is null and responsibility is null and time_limits is null and verification is null
          and resident_selectable is null and duplicate_radius_m is null)
        or (department_kind is not null and responsibility is not null and time_limits is not null and verification is not null
          and resident_selectable is not null and duplicate_radius_m is not null)
      )
    )`.execute(db);

  // The current version must exist; checked at commit so a category and its first version go in together.
  await sql`
    alter table categories add constraint categories_current_version
      foreign key (code, current_version) references category_versions (code, version) deferrable initially deferred`.execute(db);

  await sql`
    create function category_versions_forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception 'category_versions is append-only: a change is a new version' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger category_versions_immutable before update or delete on category_versions for each row execute function category_versions_forbid_change()`.execute(db);
  await sql`create trigger category_versions_no_truncate before truncate on category_versions for each statement execute function category_versions_forbid_change()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0003-categories is not reversible');
}
