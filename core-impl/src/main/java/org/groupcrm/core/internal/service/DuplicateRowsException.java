package org.groupcrm.core.internal.service;

import java.util.List;

import org.groupcrm.core.api.ConflictException;

/**
 * A batch refused because rows repeat an exclusivity key of a live customer of the subsidiary or of an earlier row
 * (409 {@code duplicate_customer}, as for a single create); nothing was written.
 */
public final class DuplicateRowsException extends ConflictException implements RowError.Report {
    private static final long serialVersionUID = 1L;
    private final transient List<RowError> rows;
    private final String message;

    public DuplicateRowsException(List<RowError> errors, int rows) {
        super("duplicate_customer", "duplicate customers");
        this.rows = RowError.listed(errors);
        this.message = RowError.count(errors, rows) + ": the customer exists already, or comes twice in the batch;"
                + " nothing was imported";
    }

    @Override
    public List<RowError> rows() {
        return rows;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
