package org.groupcrm.core.internal.rest.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a resource method's signature cannot tell the OpenAPI document: a description, the status and entity of a
 * success answered as a {@code Response}, and the schema of a body read raw (an {@code InputStream}) per media type.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiOperation {
    /** The operation's description (CommonMark); none when empty. */
    String description() default "";

    /** The success status; 0: as the return type says (200, or 204 without an entity). */
    int status() default 0;

    /** The success entity of a method that returns a {@code Response}; {@code Void}: none described. */
    Class<?> response() default Void.class;

    /** The request body by media type; empty: the entity parameter and {@code @Consumes} describe it. */
    Body[] bodies() default {};

    /** One media type of the request body. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({})
    @interface Body {
        String mediaType();

        /** The body's type, e.g. {@code String.class} for text, {@code CustomerDTO[].class} for a JSON array. */
        Class<?> type();

        /** The schema's description; none when empty. */
        String description() default "";
    }
}
