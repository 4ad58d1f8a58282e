import type { Leaf, RuleExample, RuleNode } from '../../../shared/services.ts';

/**
 * The rule builder's state and its pure operations (RuleBuilder.tsx). The form always shows the rule
 * under a root group (全部满足 / 满足其一); what it saves is that group, or its only condition when it
 * has one, so a rule that is a single leaf (`{"kind":"age","min":80}`) opens and saves unchanged.
 * While editing, leaves may be incomplete (a tag not chosen yet, an empty group): `problemsOf` names
 * them and the editor runs and saves only a rule without problems.
 */

export type Group = { kind: 'all' | 'any'; conditions: RuleNode[] };
/** Where a node is: indexes of `conditions` from the root group; the child of a `not` is index 0. */
export type Path = readonly number[];

/** `EligibilityRuleSchema`'s limits: conditions per group, groups nested three deep. */
export const MAX_CONDITIONS = 12;
export const MAX_HEIGHT = 3;
export const MAX_EXAMPLES = 50;
export const MAX_EXAMPLE_ITEMS = 20;

export const LEAF_KINDS = ['age', 'tag', 'household', 'sex', 'region', 'receiving'] as const;
export type LeafKind = (typeof LEAF_KINDS)[number];

export function newLeaf(kind: LeafKind): Leaf {
  switch (kind) {
    case 'age':
      return { kind: 'age', min: 60 };
    case 'tag':
      return { kind: 'tag', tag: '' };
    case 'household':
      return { kind: 'household', minSize: 1 };
    case 'sex':
      return { kind: 'sex', sex: 'female' };
    case 'region':
      return { kind: 'region', region: '' };
    case 'receiving':
      return { kind: 'receiving', service: '' };
  }
}

export const isGroup = (n: RuleNode): n is Group => n.kind === 'all' || n.kind === 'any';

export function toTree(rule: RuleNode): Group {
  return isGroup(rule) ? rule : { kind: 'all', conditions: [rule] };
}

export function fromTree(root: Group): RuleNode {
  return root.conditions.length === 1 ? root.conditions[0]! : root;
}

/**
 * Groups nested under a node, as the schema counts them: a leaf 0, a group one more than its
 * deepest member, a `not` as deep as what it holds (a `not` inside a `not` is not allowed: Infinity).
 */
export function heightOf(n: RuleNode): number {
  if (isGroup(n)) return 1 + Math.max(0, ...n.conditions.map(heightOf));
  if (n.kind === 'not') return n.condition.kind === 'not' ? Infinity : heightOf(n.condition);
  return 0;
}

/** Whether a rule's shape is one `EligibilityRuleSchema` accepts (depth and counts; leaves are not checked here). */
export function fitsSchema(rule: RuleNode): boolean {
  const counts = (n: RuleNode): boolean =>
    isGroup(n) ? n.conditions.length >= 1 && n.conditions.length <= MAX_CONDITIONS && n.conditions.every(counts) : n.kind === 'not' ? counts(n.condition) : true;
  if (!counts(rule)) return false;
  // a group may hold three levels; a `not` at the top only two (there is no `not` around the deepest group)
  return rule.kind === 'not' ? heightOf(rule) <= MAX_HEIGHT - 1 : heightOf(rule) <= MAX_HEIGHT;
}

export function nodeAt(root: RuleNode, path: Path): RuleNode {
  let n = root;
  for (const i of path) n = isGroup(n) ? n.conditions[i]! : n.kind === 'not' ? n.condition : n;
  return n;
}

export function replaceAt(root: RuleNode, path: Path, fn: (n: RuleNode) => RuleNode): RuleNode {
  if (path.length === 0) return fn(root);
  const [i, ...rest] = path as [number, ...number[]];
  if (isGroup(root)) return { ...root, conditions: root.conditions.map((c, j) => (j === i ? replaceAt(c, rest, fn) : c)) };
  if (root.kind === 'not') return { ...root, condition: replaceAt(root.condition, rest, fn) };
  return root;
}

export function removeAt(root: Group, path: Path): Group {
  const parent = path.slice(0, -1);
  const index = path[path.length - 1]!;
  return replaceAt(root, parent, (g) => (isGroup(g) ? { ...g, conditions: g.conditions.filter((_, j) => j !== index) } : g)) as Group;
}

export function appendAt(root: Group, path: Path, node: RuleNode): Group {
  return replaceAt(root, path, (g) => (isGroup(g) ? { ...g, conditions: [...g.conditions, node] } : g)) as Group;
}

/** Whether adding `node` to the group at `path` keeps the rule inside the schema's limits. */
export function canAppend(root: Group, path: Path, node: RuleNode): boolean {
  const g = nodeAt(root, path);
  if (!isGroup(g) || g.conditions.length >= MAX_CONDITIONS) return false;
  // measure with a placeholder leaf in empty groups, which are incomplete, not too deep
  const fill = (n: RuleNode): RuleNode => (isGroup(n) ? { ...n, conditions: n.conditions.length ? n.conditions.map(fill) : [{ kind: 'sex', sex: 'male' }] } : n.kind === 'not' ? { ...n, condition: fill(n.condition) } : n);
  return fitsSchema(fill(fromTree(appendAt(root, path, node))));
}

/** Whether wrapping the node at `path` in a group (不属于 → a group inside it) keeps the rule inside the limits. */
export function canWrap(root: Group, path: Path): boolean {
  return fitsSchema(fromTree(replaceAt(root, path, (n) => ({ kind: 'all', conditions: [n] })) as Group));
}

export type Problem = { path: Path; code: 'emptyGroup' | 'noTag' | 'noRegion' | 'noService' | 'noRange' | 'badRange' };

/** What keeps the rule from being run or saved, node by node. */
export function problemsOf(root: RuleNode, at: Path = []): Problem[] {
  if (isGroup(root)) return root.conditions.length === 0 ? [{ path: at, code: 'emptyGroup' }] : root.conditions.flatMap((c, i) => problemsOf(c, [...at, i]));
  switch (root.kind) {
    case 'not':
      return problemsOf(root.condition, [...at, 0]);
    case 'tag':
      return root.tag ? [] : [{ path: at, code: 'noTag' }];
    case 'region':
      return root.region ? [] : [{ path: at, code: 'noRegion' }];
    case 'receiving':
      return root.service ? [] : [{ path: at, code: 'noService' }];
    case 'age':
      if (root.min === undefined && root.max === undefined) return [{ path: at, code: 'noRange' }];
      return root.min !== undefined && root.max !== undefined && root.min > root.max ? [{ path: at, code: 'badRange' }] : [];
    case 'household':
      if (root.minSize === undefined && root.maxSize === undefined) return [{ path: at, code: 'noRange' }];
      return root.minSize !== undefined && root.maxSize !== undefined && root.minSize > root.maxSize ? [{ path: at, code: 'badRange' }] : [];
    case 'sex':
      return [];
  }
}

const KINDS = new Set<string>(['all', 'any', 'not', ...LEAF_KINDS]);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether parsed JSON is a tree the form can show (known kinds, groups with lists); the server checks the rest. */
export function isRuleShape(v: unknown): v is RuleNode {
  if (!isObject(v) || typeof v.kind !== 'string' || !KINDS.has(v.kind)) return false;
  if (v.kind === 'all' || v.kind === 'any') return Array.isArray(v.conditions) && v.conditions.every(isRuleShape);
  if (v.kind === 'not') return isRuleShape(v.condition);
  return true;
}

export function isExamplesShape(v: unknown): v is RuleExample[] {
  return Array.isArray(v) && v.every((e) => isObject(e) && isObject(e.person) && (e.person.tags === undefined || Array.isArray(e.person.tags)) && (e.person.receiving === undefined || Array.isArray(e.person.receiving)));
}

export function newExample(on: string): RuleExample {
  return { name: '', on, person: { birthDate: null }, expected: true };
}
