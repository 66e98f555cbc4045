// A table's header row from a list of columns: numeric ones are right-aligned (`num`), as their cells are.
import type { ReactElement } from 'react';

export interface Column {
  readonly label: string;
  readonly numeric?: boolean;
}

export function TableHead(props: { readonly columns: readonly Column[] }): ReactElement {
  return (
    <thead>
      <tr>
        {props.columns.map((column) => (
          <th key={column.label} scope="col" className={column.numeric === true ? 'num' : undefined}>
            {column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
