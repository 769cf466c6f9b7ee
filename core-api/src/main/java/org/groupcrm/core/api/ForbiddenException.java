package org.groupcrm.core.api;

/** The caller is authenticated but not allowed to do this. HTTP 403. */
public class ForbiddenException extends CrmException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public ForbiddenException(String message) {
        this("forbidden", message);
    }

    public ForbiddenException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() { return code; }
}
