package org.groupcrm.core.api;

/** A dependency (the database, a module) cannot serve the request right now; retrying later may work. HTTP 503. */
public class UnavailableException extends CrmException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public UnavailableException(String code, String message, Throwable cause) {
        super(message);
        this.code = code;
        if (cause != null) {
            initCause(cause);
        }
    }

    @Override
    public String code() { return code; }
}
