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

    /** @return {@code true}/{@code false} from {@code value}, or {@code absent} when it is missing or blank */
    static boolean bool(String name, String value, boolean absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ValidationException(name, "must be true or false, not '" + value + "'");
        };
    }

    /** @return the whole number in {@code value} between {@code min} and {@code max}, or {@code absent} */
    static int intInRange(String name, String value, int absent, int min, int max) {
        Integer i = integer(name, value);
        if (i == null) {
            return absent;
        }
        if (i < min || i > max) {
            throw new ValidationException(name, "must be between " + min + " and " + max + ", not " + i);
        }
        return i;
    }

    static PageRequest page(String page, String size) {
        return PageRequest.of(integer("page", page), integer("size", size));
    }
}
