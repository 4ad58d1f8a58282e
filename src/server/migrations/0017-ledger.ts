import { sql, type Kysely } from 'kysely';

/**
 * The committee ledger (issue #5), foundation: persons, households and dwellings under a committee,
 * every field value with its source and time (一数一源), conflicts, full history, the tag
 * dictionary, the source records as received, and spreadsheet imports.
 *
 * - ledger_sources: the departments and channels values come from (民政, 卫健, 残联 …).
 * - ledger_field_authority: for each field the one source whose value wins (一数一源).
 * - ledger_tags: the tag dictionary; `derived` tags are computed from current values at read time,
 *   the others are fields `tag.<code>` with provenance like any other.
 * - ledger_source_records: each row of each source as received (its record key, or the row's hash
 *   when the source has none), pointing at the person it was linked to. Re-importing a row with the
 *   same hash changes nothing. Record linkage (a later slice) re-points `person_id`.
 * - ledger_person_fields: the current value of every field of a person, with its source and time;
 *   ledger_field_history: every value ever received and what became of it.
 * - ledger_conflicts: a value from a non-authoritative source that differs from the current one.
 * - persons carry denormalised copies of the searchable fields (name, its pinyin initials, ID
 *   number, phone, birth date, sex) and their committee's region path for scope.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ledger_sources (
      name text primary key check (length(name) between 1 and 40),
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
      name_en text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into ledger_sources (name, code, name_en) values
      ('公安实有人口', 'police', 'Police: actual population'),
      ('民政', 'civil_affairs', 'Civil affairs'),
      ('卫健', 'health', 'Health commission'),
      ('残联', 'disabled_federation', 'Disabled Persons'' Federation'),
      ('房管', 'housing', 'Housing administration'),
      ('人社', 'human_resources', 'Human resources and social security'),
      ('退役军人事务', 'veterans', 'Veterans affairs'),
      ('社工走访', 'social_work_visit', 'Social worker visit'),
      ('居民自报', 'self_report', 'Reported by the resident')`.execute(db);

  await sql`
    create table ledger_tags (
      code text primary key check (code ~ '^[a-z][a-z_]{1,39}$'),
      name text not null unique,
      name_en text not null,
      category text not null check (category in ('general','welfare','disability','health','security')),
      derived boolean not null default false,
      sort integer not null
    )`.execute(db);
  await sql`
    insert into ledger_tags (code, name, name_en, category, derived, sort) values
      ('elderly', '高龄', 'Aged 80 or over', 'general', true, 10),
      ('living_alone', '独居', 'Living alone', 'general', true, 20),
      ('solitary_elderly', '孤老', 'Elderly without family', 'welfare', false, 30),
      ('disability', '残疾', 'Disability', 'disability', false, 40),
      ('dibao', '低保', 'Minimum living allowance', 'welfare', false, 50),
      ('low_income', '低收入', 'Low income', 'welfare', false, 60),
      ('special_care', '优抚', 'Entitled group (veterans, martyrs'' families)', 'welfare', false, 70),
      ('bereaved_parent', '失独', 'Parent who lost their only child', 'welfare', false, 80),
      ('newborn', '新生儿', 'Newborn (under one year)', 'general', true, 90),
      ('childbearing_age', '育龄', 'Woman of childbearing age (15–49)', 'general', true, 100),
      ('key_person', '重点人员', 'Person under special attention', 'security', false, 110)`.execute(db);

  await sql`
    create table ledger_field_authority (
      field text primary key,
      source_name text not null references ledger_sources(name),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into ledger_field_authority (field, source_name) values
      ('name', '公安实有人口'), ('id_number', '公安实有人口'), ('sex', '公安实有人口'), ('birth_date', '公安实有人口'),
      ('hukou_address', '公安实有人口'), ('residence_address', '公安实有人口'), ('committee', '公安实有人口'),
      ('household_number', '公安实有人口'), ('relation_to_head', '公安实有人口'),
      ('phone', '居民自报'), ('emergency_contact_name', '居民自报'), ('emergency_contact_phone', '居民自报'),
      ('guardian_name', '民政'), ('guardian_phone', '民政'),
      ('tag.solitary_elderly', '民政'), ('tag.dibao', '民政'), ('tag.low_income', '民政'), ('tag.bereaved_parent', '卫健'),
      ('tag.disability', '残联'), ('tag.special_care', '退役军人事务'), ('tag.key_person', '公安实有人口')`.execute(db);

  await sql`
    create table ledger_dwellings (
      id uuid primary key default gen_random_uuid(),
      region_code text not null references regions(code),
      region_path ltree not null,
      dwelling_key text not null check (length(dwelling_key) between 1 and 200),
      place text not null,
      building text,
      unit text,
      room text,
      address text not null,
      created_at timestamptz not null default now(),
      unique (region_code, dwelling_key)
    )`.execute(db);
  await sql`create index ledger_dwellings_region on ledger_dwellings using gist (region_path)`.execute(db);

  await sql`
    create table ledger_households (
      id uuid primary key default gen_random_uuid(),
      region_code text not null references regions(code),
      region_path ltree not null,
      household_number text not null check (length(household_number) between 1 and 40),
      created_at timestamptz not null default now(),
      unique (region_code, household_number)
    )`.execute(db);
  await sql`create index ledger_households_region on ledger_households using gist (region_path)`.execute(db);

  await sql`
    create table ledger_persons (
      id uuid primary key default gen_random_uuid(),
      region_code text not null references regions(code),
      region_path ltree not null,
      name text not null,
      name_initials text not null default '',
      id_number text unique,
      sex text check (sex in ('male','female')),
      birth_date date,
      phone text,
      dwelling_id uuid references ledger_dwellings(id),
      household_id uuid references ledger_households(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ledger_persons_region on ledger_persons using gist (region_path)`.execute(db);
  await sql`create index ledger_persons_name on ledger_persons (name)`.execute(db);
  await sql`create index ledger_persons_initials on ledger_persons (name_initials text_pattern_ops)`.execute(db);
  await sql`create index ledger_persons_id_tail on ledger_persons (right(id_number, 4))`.execute(db);
  await sql`create index ledger_persons_dwelling on ledger_persons (dwelling_id)`.execute(db);
  await sql`create index ledger_persons_household on ledger_persons (household_id)`.execute(db);
  await sql`create index ledger_persons_birth on ledger_persons (birth_date)`.execute(db);

  await sql`
    create table ledger_imports (
      id uuid primary key default gen_random_uuid(),
      source_name text not null references ledger_sources(name),
      file_name text not null,
      format text not null check (format in ('csv','xlsx')),
      status text not null default 'running' check (status in ('running','done','failed')),
      rows integer not null default 0,
      imported integer not null default 0,
      unchanged integer not null default 0,
      rejected integer not null default 0,
      conflicts integer not null default 0,
      header_row integer,
      mapping jsonb,
      message text,
      region_path ltree not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      progressed_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index ledger_imports_region on ledger_imports using gist (region_path)`.execute(db);
  await sql`create index ledger_imports_running on ledger_imports (progressed_at) where status = 'running'`.execute(db);
  await sql`
    create table ledger_import_errors (
      id bigserial primary key,
      import_id uuid not null references ledger_imports(id) on delete cascade,
      row_number integer not null,
      field text,
      reason text not null,
      value text
    )`.execute(db);
  await sql`create index ledger_import_errors_import on ledger_import_errors (import_id, row_number, id)`.execute(db);

  await sql`
    create table ledger_mappings (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 60),
      source_name text not null references ledger_sources(name),
      columns jsonb not null,
      region_path ltree not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (region_path, name)
    )`.execute(db);

  await sql`
    create table ledger_source_records (
      id bigserial primary key,
      source_name text not null references ledger_sources(name),
      record_key text not null check (length(record_key) between 1 and 100),
      has_own_key boolean not null,
      row_hash text not null,
      person_id uuid references ledger_persons(id),
      region_path ltree not null,
      import_id uuid references ledger_imports(id),
      row_number integer,
      data jsonb not null,
      received_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source_name, record_key)
    )`.execute(db);
  await sql`create index ledger_source_records_person on ledger_source_records (person_id)`.execute(db);
  await sql`create index ledger_source_records_region on ledger_source_records using gist (region_path)`.execute(db);

  await sql`
    create table ledger_field_history (
      id bigserial primary key,
      person_id uuid not null references ledger_persons(id),
      field text not null,
      value text,
      source_name text not null references ledger_sources(name),
      source_record_id bigint references ledger_source_records(id),
      observed_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      outcome text not null check (outcome in ('set','confirmed','replaced','conflict'))
    )`.execute(db);
  await sql`create index ledger_field_history_person on ledger_field_history (person_id, field, id)`.execute(db);

  await sql`
    create table ledger_person_fields (
      person_id uuid not null references ledger_persons(id),
      field text not null,
      value text,
      source_name text not null references ledger_sources(name),
      observed_at timestamptz not null,
      history_id bigint not null references ledger_field_history(id),
      primary key (person_id, field)
    )`.execute(db);
  await sql`create index ledger_person_fields_tags on ledger_person_fields (field, value) where field like 'tag.%'`.execute(db);

  await sql`
    create table ledger_conflicts (
      id bigserial primary key,
      person_id uuid not null references ledger_persons(id),
      region_path ltree not null,
      field text not null,
      current_value text,
      current_source text not null references ledger_sources(name),
      proposed_value text,
      proposed_source text not null references ledger_sources(name),
      history_id bigint not null references ledger_field_history(id),
      status text not null default 'open' check (status in ('open','resolved')),
      created_at timestamptz not null default now(),
      resolved_at timestamptz,
      resolved_by uuid references users(id),
      resolution text
    )`.execute(db);
  await sql`create unique index ledger_conflicts_open on ledger_conflicts (person_id, field, proposed_source) where status = 'open'`.execute(db);
  await sql`create index ledger_conflicts_region on ledger_conflicts using gist (region_path) where status = 'open'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'ledger_conflicts', 'ledger_person_fields', 'ledger_field_history', 'ledger_source_records', 'ledger_mappings',
    'ledger_import_errors', 'ledger_imports', 'ledger_persons', 'ledger_households', 'ledger_dwellings',
    'ledger_field_authority', 'ledger_tags', 'ledger_sources',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
