package org.groupcrm.core.internal.rest;

import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;

/**
 * Query parameters read as text and converted here, so a malformed value is a 400 naming the parameter (JAX-RS would
 * answer a failed conversion of a query parameter with 404).
 */
final class Params {
    private Params() {
    }

    /** @return the whole number in {@code value}, or {@code null} when absent or blank */
    static Integer integer(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(name, "must be a whole number, not '" + value + "'");
        }
    }

    /** @return {@code value}, which must not contain control characters (the database cannot store NUL) */
    static String text(String name, String value) {
        if (value != null && value.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException(name, "must not contain control characters");
        }
        return value;
    }

    static PageRequest page(String page, String size) {
        return PageRequest.of(integer("page", page), integer("size", size));
    }
}
