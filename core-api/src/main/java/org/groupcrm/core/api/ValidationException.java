package org.groupcrm.core.api;

import java.util.List;

/**
 * Input was rejected; {@link #fields()} names each offending field and the reason. Nothing was written. HTTP 400.
 */
public class ValidationException extends CrmException {
    private static final long serialVersionUID = 1L;
    private final List<FieldError> fields;

    public ValidationException(List<FieldError> fields) {
        super("invalid input: " + describe(fields));
        this.fields = List.copyOf(fields);
    }

    public ValidationException(String field, String reason) {
        this(List.of(new FieldError(field, reason)));
    }

    public List<FieldError> fields() { return fields; }

    @Override
    public String code() { return "validation_failed"; }

    private static String describe(List<FieldError> fields) {
        StringBuilder sb = new StringBuilder();
        for (FieldError f : fields) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(f.field()).append(": ").append(f.reason());
        }
        return sb.toString();
    }

    /**
     * One rejected field.
     *
     * @param field  path of the field as the client sent it, e.g. {@code email} or {@code lines[2].amount}
     * @param reason why it was rejected, in words
     */
    public record FieldError(String field, String reason) {
    }
}
