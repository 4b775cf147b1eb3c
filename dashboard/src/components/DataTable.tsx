import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";

/** A plain accessible table over TanStack Table; rows may open something on click or Enter. */
export function DataTable<T>({
  data,
  columns,
  caption,
  rowId,
  onOpen,
}: {
  data: T[];
  // Columns hold values of several types; TanStack's own examples type them this way.
  columns: ColumnDef<T, any>[];
  caption: string;
  rowId: (row: T) => string;
  onOpen?: (row: T) => void;
}) {
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), getRowId: rowId });
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              data-row={row.id}
              className={onOpen ? "clickable" : undefined}
              tabIndex={onOpen ? 0 : undefined}
              onClick={onOpen ? () => onOpen(row.original) : undefined}
              onKeyDown={onOpen ? (e) => e.key === "Enter" && e.target === e.currentTarget && onOpen(row.original) : undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
