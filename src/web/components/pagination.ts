import type { TablePaginationConfig } from 'antd';
import type { Dispatch, SetStateAction } from 'react';

export interface PageFilters {
  page: number;
  pageSize: number;
}

/** A list's pager over filters kept in state: 20, 50 or 100 a page; a new page size starts at page 1. */
export function listPagination<F extends PageFilters>(filters: F, setFilters: Dispatch<SetStateAction<F>>, total: number, showTotal: (total: number) => string): TablePaginationConfig {
  return {
    current: filters.page,
    pageSize: filters.pageSize,
    total,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100],
    showTotal,
    onChange: (page, pageSize) => setFilters((f) => ({ ...f, page: pageSize === f.pageSize ? page : 1, pageSize })),
  };
}
