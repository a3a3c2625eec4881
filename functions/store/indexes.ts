/*
 * The table's global secondary indexes, defined once: the CDK data stack and the local
 * table both build theirs from this list, so the two cannot drift apart.
 *
 * An index carries only what its queries return. DynamoDB writes an index entry again
 * only when the item's index keys or one of its projected attributes change, so a lean
 * projection also spares the index most updates of a project (history, tranches,
 * reminders, tokens, the time of the last write): only status, deadlines and the listed
 * summary fields reach it.
 */

/** The fields of a project that its lists return (the summary) and filter on (`status`). */
export const PROJECT_SUMMARY_FIELDS = [
  'id',
  'communityId',
  'streetId',
  'year',
  'title',
  'category',
  'type',
  'amountFen',
  'delivery',
  'plannedEnd',
  'status',
  'deadlines',
  'publicityOpenedAt',
  'createdAt',
] as const;

/**
 * The Shanghai day of a project's last write. Unlike `updatedAt` (left out: every write
 * changes it, so every write would rewrite the list entries), it changes at most once a
 * day; the audit trail's reader uses it to find the projects written on a day.
 */
export const WRITTEN_ON = 'writtenOn';

/** What "the staff of a unit with a role" returns of a contact (store/contacts.ts shares gsi1). */
const CONTACT_FIELDS = ['sub', 'role', 'orgUnitId', 'phone', 'email'] as const;

export type IndexProjection = { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

export interface IndexDefinition {
  name: 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4';
  partitionKey: string;
  sortKey: string;
  projection: IndexProjection;
  /** Only items whose writes name its partition key are in it (the others never have that key). */
  sparse?: true;
}

export const TABLE_INDEXES: readonly IndexDefinition[] = [
  // A community's projects by year (staff list, public publicity, lists and reports), and a unit's contacts.
  {
    name: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    projection: { type: 'INCLUDE', attributes: [...PROJECT_SUMMARY_FIELDS, ...CONTACT_FIELDS] },
  },
  // A street's projects by year (staff list, reports, the year end).
  {
    name: 'gsi2',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    projection: { type: 'INCLUDE', attributes: [...PROJECT_SUMMARY_FIELDS, WRITTEN_ON] },
  },
  // Open projects by next deadline, sharded: the sweep fetches the due ones whole, the
  // restart needs only the status to resume an execution at, the recovery pass only the id.
  {
    name: 'gsi3',
    partitionKey: 'gsi3pk',
    sortKey: 'gsi3sk',
    projection: { type: 'INCLUDE', attributes: ['id', 'status'] },
  },
  // A community's projects in publicity now (the public notice board). Sparse: a project
  // has an entry only while it is IN_PUBLICITY, so the board reads those and nothing else,
  // not every project of the community's year through a filter.
  {
    name: 'gsi4',
    partitionKey: 'gsi4pk',
    sortKey: 'gsi4sk',
    projection: { type: 'INCLUDE', attributes: [...PROJECT_SUMMARY_FIELDS] },
    sparse: true,
  },
];

/** DynamoDB's CreateTable shape of the indexes (the local table). */
export const createTableIndexes = () =>
  TABLE_INDEXES.map((i) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection:
      i.projection.type === 'KEYS_ONLY'
        ? { ProjectionType: 'KEYS_ONLY' as const }
        : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...i.projection.attributes] },
  }));
