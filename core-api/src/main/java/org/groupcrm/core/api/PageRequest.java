package org.groupcrm.core.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Paging of a list request: zero-based {@code page}, {@code size} capped at {@link #MAX_SIZE}.
 *
 * @param page zero-based page number, {@code >= 0}
 * @param size page size, {@code 1..MAX_SIZE}
 */
public record PageRequest(int page, int size) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 200;

    public PageRequest {
        List<ValidationException.FieldError> errors = new ArrayList<>();
        if (page < 0) {
            errors.add(new ValidationException.FieldError("page", "must be 0 or greater"));
        }
        if (size < 1) {
            errors.add(new ValidationException.FieldError("size", "must be 1 or greater"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        size = Math.min(size, MAX_SIZE);
    }

    /** Builds a request from optional query parameters, applying the defaults and the size cap. */
    public static PageRequest of(Integer page, Integer size) {
        return new PageRequest(page == null ? 0 : page, size == null ? DEFAULT_SIZE : size);
    }

    /** @return offset of the first record of this page */
    public long offset() {
        return (long) page * size;
    }
}
