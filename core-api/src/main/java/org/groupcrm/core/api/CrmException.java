package org.groupcrm.core.api;

/**
 * Base of the exceptions CRM services throw to report a refusal that the caller can act on. Each subclass has a
 * stable machine-readable {@link #code()} that the REST edge puts into the {@code error} field of its JSON
 * error body; the message is for humans and never contains internal details.
 */
public abstract class CrmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected CrmException(String message) {
        super(message);
    }

    /** @return stable machine-readable error code, e.g. {@code not_found} */
    public abstract String code();
}
