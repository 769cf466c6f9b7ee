package org.groupcrm.core.internal.rest.openapi;

import static org.groupcrm.core.internal.rest.openapi.SchemaRegistry.map;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.ws.rs.BeanParam;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.FormParam;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.MatrixParam;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/** Builds the OpenAPI operation object of one JAX-RS resource method; single use. */
final class OperationBuilder {

    static final String ERROR_DESCRIPTION = "Error (400 validation, 401, 403, 404, 409, 503...)";

    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");
    /** Per the OpenAPI specification, header parameters with these names are ignored. */
    private static final Set<String> RESERVED_HEADERS = Set.of("accept", "content-type", "authorization");
    private static final List<Class<? extends Annotation>> PARAMETER_ANNOTATIONS = List.of(PathParam.class,
            QueryParam.class, HeaderParam.class, CookieParam.class, MatrixParam.class, FormParam.class, BeanParam.class,
            Context.class, Suspended.class);

    private final SchemaRegistry schemas;
    private final Class<?> resource;
    private final Method method;
    private final Map<TypeVariable<?>, Type> bindings;
    private final List<Map<String, Object>> parameters = new ArrayList<>();
    private final Map<String, Object> formProperties = new LinkedHashMap<>();
    private final List<String> requiredFormProperties = new ArrayList<>();
    private final Set<Class<?>> expandedBeans = new HashSet<>();
    private Type entityType;
    private List<Annotation> entityAnnotations;
    private boolean async;

    OperationBuilder(SchemaRegistry schemas, Class<?> resource, Method method, Map<TypeVariable<?>, Type> bindings) {
        this.schemas = schemas;
        this.resource = resource;
        this.method = method;
        this.bindings = bindings;
    }

    Map<String, Object> build(String tag, String operationId, String path) {
        for (Parameter parameter : method.getParameters()) {
            argument(GenericTypes.resolve(parameter.getParameterizedType(), bindings), List.of(parameter.getAnnotations()));
        }
        Matcher template = TEMPLATE.matcher(path);
        while (template.find()) {
            addParameter("path", template.group(1), String.class, List.of());
        }
        Map<String, Object> operation = map("tags", List.of(tag), "operationId", operationId);
        ApiOperation api = method.getAnnotation(ApiOperation.class);
        if (api != null && !api.description().isEmpty()) {
            operation.put("description", api.description());
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        Map<String, Object> requestBody = requestBody();
        if (requestBody != null) {
            operation.put("requestBody", requestBody);
        }
        operation.put("responses", responses());
        return operation;
    }

    private void argument(Type type, List<Annotation> annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof Context || annotation instanceof MatrixParam) {
                return;
            }
            if (annotation instanceof Suspended) {
                async = true;
                return;
            }
            if (annotation instanceof PathParam param) {
                addParameter("path", param.value(), type, annotations);
                return;
            }
            if (annotation instanceof QueryParam param) {
                addParameter("query", param.value(), type, annotations);
                return;
            }
            if (annotation instanceof HeaderParam param) {
                if (!RESERVED_HEADERS.contains(param.value().toLowerCase(Locale.ROOT))) {
                    addParameter("header", param.value(), type, annotations);
                }
                return;
            }
            if (annotation instanceof CookieParam param) {
                addParameter("cookie", param.value(), type, annotations);
                return;
            }
            if (annotation instanceof FormParam param) {
                formProperties.putIfAbsent(param.value(), parameterSchema(type, annotations));
                if (SchemaRegistry.isRequired(annotations)) {
                    requiredFormProperties.add(param.value());
                }
                return;
            }
            if (annotation instanceof BeanParam) {
                expandBean(type);
                return;
            }
        }
        if (entityType == null) {
            entityType = type;
            entityAnnotations = annotations;
        }
    }

    private void addParameter(String in, String name, Type type, List<Annotation> annotations) {
        boolean known = parameters.stream().anyMatch(p -> p.get("in").equals(in) && p.get("name").equals(name));
        if (!known) {
            boolean required = in.equals("path") || SchemaRegistry.isRequired(annotations);
            parameters.add(map("name", name, "in", in, "required", required, "schema", parameterSchema(type, annotations)));
        }
    }

    private Map<String, Object> parameterSchema(Type type, List<Annotation> annotations) {
        boolean jaxRsType = GenericTypes.rawClass(type).getName().startsWith("javax.ws.rs.");
        Map<String, Object> schema = jaxRsType ? map("type", "string") : schemas.schema(type);
        SchemaRegistry.constrain(schema, annotations);
        annotations.stream().filter(DefaultValue.class::isInstance).map(DefaultValue.class::cast).findFirst()
                .ifPresent(defaultValue -> applyDefault(schema, defaultValue.value()));
        return schema;
    }

    /** Sets {@code @DefaultValue} as the default of the schema, or of its items for a multi-valued parameter. */
    @SuppressWarnings("unchecked")
    private static void applyDefault(Map<String, Object> schema, String value) {
        Map<String, Object> target = "array".equals(schema.get("type")) ? (Map<String, Object>) schema.get("items") : schema;
        if (!target.containsKey("$ref")) {
            target.put("default", typedValue(String.valueOf(target.get("type")), value));
        }
    }

    private static Object typedValue(String schemaType, String value) {
        String trimmed = value.trim();
        try {
            return switch (schemaType) {
                case "integer" -> Long.valueOf(trimmed);
                case "number" -> new BigDecimal(trimmed);
                case "boolean" -> trimmed.matches("(?i)true|false") ? Boolean.valueOf(trimmed) : value;
                default -> value;
            };
        } catch (NumberFormatException e) {
            return value;
        }
    }

    /** Expands the annotated fields and setters of a {@code @BeanParam} class into parameters. */
    private void expandBean(Type beanType) {
        Class<?> bean = GenericTypes.rawClass(beanType);
        if (!expandedBeans.add(bean)) {
            return;
        }
        Map<TypeVariable<?>, Type> beanBindings = GenericTypes.bindings(beanType);
        for (Class<?> c = bean; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (isParameter(field.getAnnotations())) {
                    argument(GenericTypes.resolve(field.getGenericType(), beanBindings), List.of(field.getAnnotations()));
                }
            }
        }
        Arrays.stream(bean.getMethods())
                .filter(m -> m.getParameterCount() == 1 && isParameter(m.getAnnotations()))
                .sorted(Comparator.comparing(Method::getName))
                .forEach(m -> argument(GenericTypes.resolve(m.getGenericParameterTypes()[0], beanBindings),
                        List.of(m.getAnnotations())));
    }

    private static boolean isParameter(Annotation[] annotations) {
        return Arrays.stream(annotations).anyMatch(a -> PARAMETER_ANNOTATIONS.contains(a.annotationType()));
    }

    private Map<String, Object> requestBody() {
        ApiOperation api = method.getAnnotation(ApiOperation.class);
        if (api != null && api.bodies().length > 0) {
            Map<String, Object> content = new LinkedHashMap<>();
            for (ApiOperation.Body body : api.bodies()) {
                Map<String, Object> schema = schemas.schema(body.type());
                if (!body.description().isEmpty() && !schema.containsKey("$ref")) {
                    schema.put("description", body.description());
                }
                content.put(body.mediaType(), map("schema", schema));
            }
            return map("required", true, "content", content);
        }
        Consumes methodConsumes = method.getAnnotation(Consumes.class);
        Consumes classConsumes = OpenApiGenerator.classAnnotation(resource, Consumes.class);
        List<String> consumes = mediaTypes(methodConsumes != null ? methodConsumes.value()
                : classConsumes != null ? classConsumes.value() : new String[0]);
        if (entityType != null) {
            Map<String, Object> content = new LinkedHashMap<>();
            for (String mediaType : consumes.isEmpty() ? List.of(MediaType.APPLICATION_JSON) : consumes) {
                Map<String, Object> schema = schemas.schema(entityType);
                SchemaRegistry.constrain(schema, entityAnnotations);
                content.put(mediaType, map("schema", schema));
            }
            return map("required", true, "content", content);
        }
        if (formProperties.isEmpty()) {
            return null;
        }
        Map<String, Object> schema = map("type", "object", "properties", formProperties);
        if (!requiredFormProperties.isEmpty()) {
            schema.put("required", requiredFormProperties);
        }
        Map<String, Object> content = new LinkedHashMap<>();
        for (String mediaType : consumes.isEmpty() ? List.of(MediaType.APPLICATION_FORM_URLENCODED) : consumes) {
            content.put(mediaType, map("schema", schema));
        }
        return map("content", content);
    }

    /** {@code @Consumes}/{@code @Produces} values, which may each hold a comma-separated list. */
    private static List<String> mediaTypes(String[] values) {
        return Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(v -> !v.isEmpty()).distinct().toList();
    }

    private Map<String, Object> responses() {
        Type returned = GenericTypes.resolve(method.getGenericReturnType(), bindings);
        if (CompletionStage.class.isAssignableFrom(GenericTypes.rawClass(returned))) {
            returned = GenericTypes.typeArgument(returned, CompletionStage.class, 0);
        }
        Class<?> raw = GenericTypes.rawClass(returned);
        boolean noEntity = raw == void.class || raw == Void.class;
        Map<String, Object> responses = new LinkedHashMap<>();
        ApiOperation api = method.getAnnotation(ApiOperation.class);
        if (api != null && (api.status() != 0 || api.response() != Void.class)) {
            String status = Integer.toString(api.status() != 0 ? api.status() : 200);
            Map<String, Object> success = map("description", status.equals("201") ? "Created" : "OK");
            if (api.response() != Void.class) {
                success.put("content", map(MediaType.APPLICATION_JSON, map("schema", schemas.schema(api.response()))));
            }
            responses.put(status, success);
        } else if (noEntity && !async) {
            responses.put("204", map("description", "No Content"));
        } else if (noEntity || Response.class.isAssignableFrom(raw)) {
            responses.put("200", map("description", "OK"));
        } else {
            Produces methodProduces = method.getAnnotation(Produces.class);
            Produces classProduces = OpenApiGenerator.classAnnotation(resource, Produces.class);
            List<String> mediaTypes = mediaTypes(methodProduces != null ? methodProduces.value()
                    : classProduces != null ? classProduces.value() : new String[0]);
            Map<String, Object> content = new LinkedHashMap<>();
            for (String mediaType : mediaTypes.isEmpty() ? List.of(MediaType.APPLICATION_JSON) : mediaTypes) {
                content.put(mediaType, map("schema", schemas.schema(returned)));
            }
            responses.put("200", map("description", "OK", "content", content));
        }
        responses.put("default", map("description", ERROR_DESCRIPTION,
                "content", map(MediaType.APPLICATION_JSON, map("schema", SchemaRegistry.ref(SchemaRegistry.ERROR_RESPONSE)))));
        return responses;
    }
}
