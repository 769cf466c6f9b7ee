package org.groupcrm.core.api.approval;

import java.util.Objects;

import org.groupcrm.core.api.PageRequest;

/**
 * Which requests of the caller's current subsidiary to list.
 *
 * @param mine   whose view: {@code null} for every request of the subsidiary (administrators only)
 * @param type   only requests of this type, or {@code null} for all
 * @param status only requests in this status, or {@code null} for all
 * @param page   paging, never {@code null}
 */
public record ApprovalQuery(Mine mine, String type, ApprovalStatus status, PageRequest page) {

    public ApprovalQuery {
        Objects.requireNonNull(page, "page");
    }

    /** The caller's own views. */
    public enum Mine {
        /** Pending requests whose current step the caller may decide now, oldest first. */
        PENDING,
        /** Requests the caller submitted, newest first. */
        SUBMITTED
    }
}
