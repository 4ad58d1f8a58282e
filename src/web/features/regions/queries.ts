import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';

export const regionKeys = {
  all: ['regions'] as const,
  detail: (code: string) => ['regions', 'detail', code] as const,
  children: (code: string) => ['regions', 'children', code] as const,
  search: (q: string) => ['regions', 'search', q] as const,
};

export function useRegion(code: string) {
  return useQuery({ queryKey: regionKeys.detail(code), queryFn: () => api.region(code) });
}

export function useRegionChildren(code: string, enabled = true) {
  return useQuery({ queryKey: regionKeys.children(code), queryFn: () => api.regionChildren(code), enabled });
}

export function useRegionSearch(q: string) {
  const trimmed = q.trim();
  return useQuery({
    queryKey: regionKeys.search(trimmed),
    queryFn: () => api.searchRegions(trimmed, 20),
    enabled: trimmed.length > 0,
    placeholderData: keepPreviousData,
  });
}

/** Adding, renaming or removing a grid/building changes counts up the tree: refresh all region data. */
function useInvalidateRegions() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: regionKeys.all });
}

export function useCreateRegion(parentCode: string) {
  const invalidate = useInvalidateRegions();
  return useMutation({
    mutationFn: ({ level, name }: { level: 'grid' | 'building'; name: string }) => api.createRegion(parentCode, level, name),
    onSuccess: invalidate,
  });
}

export function useRenameRegion() {
  const invalidate = useInvalidateRegions();
  return useMutation({ mutationFn: ({ code, name }: { code: string; name: string }) => api.renameRegion(code, name), onSuccess: invalidate });
}

export function useDeleteRegion() {
  const invalidate = useInvalidateRegions();
  return useMutation({ mutationFn: (code: string) => api.deleteRegion(code), onSuccess: invalidate });
}
