package org.groupcrm.core.internal.rest;

import java.util.List;

import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.internal.service.RowError;

/**
 * The one JSON shape of every error the REST edge returns.
 *
 * @param error   stable machine-readable code, e.g. {@code validation_failed}, {@code not_found}
 * @param message human-readable explanation, never internal details
 * @param fields  for validation errors (and refused rows of a batch): each rejected field and why; otherwise {@code null}
 */
public record ErrorBody(String error, String message, List<Field> fields) {
    public static ErrorBody of(String error, String message) {
        return new ErrorBody(error, message, null);
    }

    /** An error naming rejected fields. */
    public static ErrorBody of(String error, String message, List<FieldError> fields) {
        return new ErrorBody(error, message, fields == null ? null : fields.stream().map(Field::of).toList());
    }

    /** An error naming rejected rows of a batch and their fields. */
    public static ErrorBody ofRows(String error, String message, List<RowError> rows) {
        return new ErrorBody(error, message, rows.stream().map(r -> new Field(r.row(), r.field(), r.reason())).toList());
    }

    /**
     * One rejected field.
     *
     * @param row    for a batch (an import): the 1-based data row; otherwise {@code null} (and absent in JSON)
     * @param field  path of the field as the client sent it, e.g. {@code email} or {@code lines[2].amount}
     * @param reason why it was rejected, in words
     */
    public record Field(Integer row, String field, String reason) {
        public static Field of(FieldError f) {
            return new Field(null, f.field(), f.reason());
        }
    }
}
