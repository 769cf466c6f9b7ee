package org.groupcrm.core.api;

/**
 * The operation works on business records but the request selected no subsidiary (the caller has no home
 * subsidiary and sent no {@code X-Subsidiary} header). HTTP 400.
 */
public class SubsidiaryRequiredException extends CrmException {
    private static final long serialVersionUID = 1L;

    public SubsidiaryRequiredException() {
        super("this operation needs a subsidiary: send the header X-Subsidiary with its code");
    }

    @Override
    public String code() { return "subsidiary_required"; }
}
