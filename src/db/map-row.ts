import { getTableColumns, type Table } from "drizzle-orm";

/**
 * Maps a raw row (snake_case columns from a hand-written statement) to the table's typed row,
 * through drizzle's own column decoders, so raw batch statements and the query builder agree.
 */
export function rowMapper<T extends Table>(table: T): (raw: Record<string, unknown>) => T["$inferSelect"] {
  const columns = Object.entries(getTableColumns(table));
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T["$inferSelect"];
  };
}
