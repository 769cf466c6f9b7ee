package org.groupcrm.core.api;

/**
 * The record does not exist, is archived where that matters, or belongs to another subsidiary than the caller's
 * current one: the three are indistinguishable on purpose. HTTP 404.
 */
public class NotFoundException extends CrmException {
    private static final long serialVersionUID = 1L;
    private final String entity;
    private final String id;

    public NotFoundException(String entity, Object id) {
        super(entity + " " + id + " not found");
        this.entity = entity;
        this.id = String.valueOf(id);
    }

    public String entity() { return entity; }

    public String id() { return id; }

    @Override
    public String code() { return "not_found"; }
}
