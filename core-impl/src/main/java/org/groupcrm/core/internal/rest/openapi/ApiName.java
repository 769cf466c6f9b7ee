package org.groupcrm.core.internal.rest.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a resource class is documented under when it is not the class's simple name: the prefix of its
 * operationIds ({@code <name>_<method>}) and, without a trailing {@code Resource}, its tag. With it, one resource can
 * be split into several classes without changing the operationIds that clients are generated from.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ApiName {
    /** The documented name, e.g. {@code CustomerResource}. */
    String value();
}
