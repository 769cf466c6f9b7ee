package org.groupcrm.core.internal.service;

import org.groupcrm.core.api.CrmException;

/** A batch with more rows than one import may carry (413 {@code too_many_rows}); nothing was written. */
public final class TooManyRowsException extends CrmException {
    private static final long serialVersionUID = 1L;

    public TooManyRowsException(int max) {
        super("an import may carry at most " + max + " customers; split it into several requests (each is all or nothing)");
    }

    @Override
    public String code() {
        return "too_many_rows";
    }
}
