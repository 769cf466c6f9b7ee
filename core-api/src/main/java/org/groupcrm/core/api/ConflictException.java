package org.groupcrm.core.api;

/**
 * The write conflicts with the current state: a stale {@code version} (somebody else saved first) or a value that
 * must be unique already exists. Nothing was written. HTTP 409.
 */
public class ConflictException extends CrmException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A stale version of {@code entity} {@code id}: the stored version is {@code current}. */
    public static ConflictException staleVersion(String entity, Object id, long current) {
        return new ConflictException("stale_version",
                entity + " " + id + " was changed by someone else (current version " + current + "); reload and retry");
    }

    @Override
    public String code() { return code; }
}
