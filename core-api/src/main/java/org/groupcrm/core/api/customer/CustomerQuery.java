package org.groupcrm.core.api.customer;

import org.groupcrm.core.api.PageRequest;

/**
 * A customer search within the caller's subsidiary.
 *
 * @param text            matched against name (case-insensitive, anywhere) and phone (prefix), or {@code null}
 * @param owner           login of the owner to restrict to, or {@code null}
 * @param includeArchived whether archived customers are included
 * @param page            paging, never {@code null}
 */
public record CustomerQuery(String text, String owner, boolean includeArchived, PageRequest page) {
}
