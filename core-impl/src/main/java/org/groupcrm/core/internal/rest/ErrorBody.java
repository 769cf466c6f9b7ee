package org.groupcrm.core.internal.rest;

import java.util.List;

import org.groupcrm.core.api.ValidationException.FieldError;

/**
 * The one JSON shape of every error the REST edge returns.
 *
 * @param error   stable machine-readable code, e.g. {@code validation_failed}, {@code not_found}
 * @param message human-readable explanation, never internal details
 * @param fields  for validation errors: each rejected field and why; otherwise {@code null}
 */
public record ErrorBody(String error, String message, List<FieldError> fields) {
    public static ErrorBody of(String error, String message) {
        return new ErrorBody(error, message, null);
    }
}
