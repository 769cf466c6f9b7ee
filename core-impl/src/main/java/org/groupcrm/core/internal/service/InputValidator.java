package org.groupcrm.core.internal.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import java.lang.annotation.ElementType;

import javax.validation.ConstraintViolation;
import javax.validation.Path;
import javax.validation.TraversableResolver;
import javax.validation.Validation;
import javax.validation.Validator;
import javax.validation.ValidatorFactory;

import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Bean Validation of incoming DTOs. Built against Hibernate Validator directly (no provider lookup through the
 * thread context class loader, no EL), so it works the same inside OSGi and in unit tests.
 */
@Component(service = InputValidator.class)
public final class InputValidator implements AutoCloseable {
    private final ValidatorFactory factory;
    private final Validator validator;

    public InputValidator() {
        factory = Validation.byProvider(HibernateValidator.class)
                .providerResolver(() -> List.of(new HibernateValidator()))
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .traversableResolver(new EverythingReachable())
                .buildValidatorFactory();
        validator = factory.getValidator();
    }

    /**
     * @param body the decoded request body, may be {@code null}
     * @param extra further errors found by the caller (e.g. cross-field rules), added to the report
     * @throws ValidationException naming every offending field, sorted by field name
     */
    public <T> T validate(T body, List<FieldError> extra) {
        if (body == null) {
            throw new ValidationException("body", "a JSON object is required");
        }
        List<FieldError> errors = errors(body, extra);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return body;
    }

    /**
     * @param body  a decoded request body or one row of a batch, not {@code null}
     * @param extra further errors found by the caller, added to the report
     * @return every offending field, sorted by field name; empty when the body is valid
     */
    public <T> List<FieldError> errors(T body, List<FieldError> extra) {
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        List<FieldError> errors = new ArrayList<>(extra);
        for (ConstraintViolation<T> v : violations) {
            errors.add(new FieldError(v.getPropertyPath().toString(), v.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::reason));
        return errors;
    }

    public <T> T validate(T body) {
        return validate(body, List.of());
    }

    /** DTOs are plain objects: skip the JPA-aware default resolver, which probes for a persistence provider. */
    private static final class EverythingReachable implements TraversableResolver {
        @Override
        public boolean isReachable(Object bean, Path.Node node, Class<?> root, Path path, ElementType type) {
            return true;
        }

        @Override
        public boolean isCascadable(Object bean, Path.Node node, Class<?> root, Path path, ElementType type) {
            return true;
        }
    }

    @Override
    @Deactivate
    public void close() {
        factory.close();
    }
}
