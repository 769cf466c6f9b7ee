package org.groupcrm.core.internal.service;

import java.util.List;

import org.groupcrm.core.api.ValidationException;

/** A batch refused because some of its rows are invalid (400 {@code validation_failed}); nothing was written. */
public final class InvalidRowsException extends ValidationException implements RowError.Report {
    private static final long serialVersionUID = 1L;
    private final transient List<RowError> rows;
    private final String message;

    /**
     * @param errors every problem found, in any order
     * @param rows   how many rows the batch has
     */
    public InvalidRowsException(List<RowError> errors, int rows) {
        super(RowError.listed(errors).stream().map(e -> new FieldError(e.field(), "row " + e.row() + ": " + e.reason()))
                .toList());
        this.rows = RowError.listed(errors);
        this.message = RowError.count(errors, rows) + ": invalid; nothing was imported";
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
