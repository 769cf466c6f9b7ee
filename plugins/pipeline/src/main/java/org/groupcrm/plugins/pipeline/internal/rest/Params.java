package org.groupcrm.plugins.pipeline.internal.rest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;

/** Query parameters read as text and converted here, so a malformed one is a 400 naming it. */
public final class Params {
    private Params() {
    }

    public static Long longValue(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(name, "must be a whole number, not '" + value + "'");
        }
    }

    public static Integer integer(String name, String value) {
        Long l = longValue(name, value);
        if (l != null && (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)) {
            throw new ValidationException(name, "is out of range");
        }
        return l == null ? null : l.intValue();
    }

    public static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ValidationException(name, "must be a date yyyy-mm-dd, not '" + value + "'");
        }
    }

    public static boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ValidationException(name, "must be true or false, not '" + value + "'");
        };
    }

    /** @return text without control characters, or {@code null} when absent or blank */
    public static String text(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException(name, "must not contain control characters");
        }
        return value.strip();
    }

    public static PageRequest page(String page, String size) {
        return PageRequest.of(integer("page", page), integer("size", size));
    }
}
