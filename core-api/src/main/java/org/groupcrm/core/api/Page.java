package org.groupcrm.core.api;

import java.util.List;

/**
 * One page of a result list.
 *
 * @param items the records of this page, never {@code null}
 * @param total number of records matching the query over all pages
 * @param page  zero-based page number
 * @param size  page size that was applied (after capping)
 */
public record Page<T>(List<T> items, long total, int page, int size) {
    public Page {
        items = List.copyOf(items);
    }
}
