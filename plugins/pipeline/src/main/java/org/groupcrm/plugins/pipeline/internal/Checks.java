package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;

/** Collects every invalid field of a request, then fails once naming them all (400). */
final class Checks {
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private final List<FieldError> errors = new ArrayList<>();

    Checks fail(String field, String reason) {
        errors.add(new FieldError(field, reason));
        return this;
    }

    Checks require(boolean ok, String field, String reason) {
        return ok ? this : fail(field, reason);
    }

    /** Required text of at most {@code max} characters, without control characters. */
    Checks text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return fail(field, "must not be blank");
        }
        return optionalText(field, value, max);
    }

    Checks optionalText(String field, String value, int max) {
        if (value == null) {
            return this;
        }
        if (value.length() > max) {
            return fail(field, "must be at most " + max + " characters");
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            return fail(field, "must not contain control characters");
        }
        return this;
    }

    Checks amount(String field, BigDecimal value, boolean required) {
        if (value == null) {
            return required ? fail(field, "is required") : this;
        }
        if (value.signum() < 0) {
            return fail(field, "must not be negative");
        }
        if (value.scale() > 2 || value.precision() - value.scale() > 16) {
            return fail(field, "must have at most 16 digits before and 2 after the decimal point");
        }
        return this;
    }

    Checks currency(String field, String value) {
        return value != null && CURRENCY.matcher(value).matches() ? this
                : fail(field, "must be an ISO 4217 code of three capital letters, e.g. CNY");
    }

    Checks probability(String field, Integer value) {
        return value == null || (value >= 0 && value <= 100) ? this : fail(field, "must be between 0 and 100");
    }

    /** @throws ValidationException naming every field that failed, sorted by field */
    void done() {
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::reason));
            throw new ValidationException(errors);
        }
    }
}
