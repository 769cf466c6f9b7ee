package org.groupcrm.core.internal.rest.openapi;

import static org.groupcrm.core.internal.rest.openapi.SchemaRegistry.map;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.ws.rs.HttpMethod;
import javax.ws.rs.Path;

/** Generates an OpenAPI 3.0.3 document, as nested maps and lists, from the JAX-RS annotations of resource classes. */
public final class OpenApiGenerator {

    static final String SECURITY_SCHEME = "basicAuth";

    /** Operations of a path item in the order of the OpenAPI specification; other HTTP methods cannot be described. */
    private static final List<String> OPERATION_ORDER = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Comparator<Method> METHOD_ORDER = Comparator.comparing(Method::getName)
            .thenComparing(m -> Arrays.stream(m.getParameterTypes()).map(Class::getName).collect(Collectors.joining(",")));

    private final String title;
    private final String version;
    private final String description;

    /**
     * @param title       {@code info.title}, required
     * @param version     {@code info.version}, required
     * @param description {@code info.description}, omitted when {@code null}
     */
    public OpenApiGenerator(String title, String version, String description) {
        this.title = Objects.requireNonNull(title, "title");
        this.version = Objects.requireNonNull(version, "version");
        this.description = description;
    }

    /**
     * Describes the resource methods of the given classes; classes without a {@code @Path} and sub-resource locators
     * are skipped. The result is deterministic: paths, tags and component schemas are sorted by name.
     *
     * @param basePath        prefix of every path, e.g. {@code /api/v1}
     * @param resourceClasses JAX-RS root resource classes
     * @return a mutable tree of {@link LinkedHashMap}s and lists, ready for a JSON serializer
     */
    public Map<String, Object> generate(String basePath, Collection<Class<?>> resourceClasses) {
        SchemaRegistry schemas = new SchemaRegistry();
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        Set<String> operationIds = new HashSet<>();
        Set<String> tags = new TreeSet<>();
        List<Class<?>> classes = resourceClasses == null ? List.of() : resourceClasses.stream()
                .filter(Objects::nonNull).distinct().sorted(Comparator.comparing(Class::getName)).toList();
        for (Class<?> resource : classes) {
            Path classPath = classAnnotation(resource, Path.class);
            if (classPath == null) {
                continue;
            }
            String tag = tag(resource, classPath.value());
            Map<TypeVariable<?>, Type> bindings = GenericTypes.bindings(resource);
            for (Method method : resourceMethods(resource)) {
                Method annotated = annotatedMethod(method);
                String httpMethod = annotated == null ? null : httpMethod(annotated);
                if (httpMethod == null) {
                    continue;
                }
                Path methodPath = annotated.getAnnotation(Path.class);
                String path = path(basePath, classPath.value(), methodPath == null ? "" : methodPath.value());
                Map<String, Object> operations = paths.computeIfAbsent(path, p -> new HashMap<>());
                if (operations.containsKey(httpMethod)) {
                    continue;
                }
                String operationId = uniqueId(name(resource) + "_" + method.getName(), operationIds);
                Map<String, Object> operation = new OperationBuilder(schemas, resource, annotated, bindings)
                        .build(tag, operationId, path);
                if (permitAll(resource, method, annotated)) {
                    operation.put("security", List.of());
                }
                operations.put(httpMethod, operation);
                tags.add(tag);
            }
        }
        return document(paths, tags, schemas);
    }

    private Map<String, Object> document(Map<String, Map<String, Object>> paths, Set<String> tags, SchemaRegistry schemas) {
        Map<String, Object> info = map("title", title, "version", version);
        if (description != null) {
            info.put("description", description);
        }
        Map<String, Object> pathItems = new LinkedHashMap<>();
        paths.forEach((path, operations) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            OPERATION_ORDER.stream().filter(operations::containsKey).forEach(m -> item.put(m, operations.get(m)));
            pathItems.put(path, item);
        });
        return map(
                "openapi", "3.0.3",
                "info", info,
                "servers", List.of(map("url", "/")),
                "security", List.of(map(SECURITY_SCHEME, List.of())),
                "tags", tags.stream().map(tag -> map("name", tag)).toList(),
                "paths", pathItems,
                "components", map(
                        "schemas", schemas.components(),
                        "securitySchemes", map(SECURITY_SCHEME, map("type", "http", "scheme", "basic"))));
    }

    /** Joins path segments, collapses slashes and reduces templates like {@code {id: \d+}} to {@code {id}}. */
    static String path(String... segments) {
        String joined = "/" + Stream.of(segments).filter(Objects::nonNull).map(OpenApiGenerator::stripTemplateRegex)
                .collect(Collectors.joining("/"));
        String path = joined.replaceAll("/{2,}", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String stripTemplateRegex(String path) {
        StringBuilder result = new StringBuilder(path.length());
        int i = 0;
        while (i < path.length()) {
            if (path.charAt(i) != '{') {
                result.append(path.charAt(i++));
                continue;
            }
            int depth = 1;
            int colon = -1;
            int j = i + 1;
            for (; j < path.length() && depth > 0; j++) {
                char c = path.charAt(j);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                } else if (c == ':' && depth == 1 && colon < 0) {
                    colon = j;
                }
            }
            int nameEnd = colon >= 0 ? colon : (depth == 0 ? j - 1 : j);
            result.append('{').append(path.substring(i + 1, nameEnd).trim()).append('}');
            i = j;
        }
        return result.toString();
    }

    /** @return the name the resource is documented under: its {@link ApiName}, else its simple name */
    private static String name(Class<?> resource) {
        ApiName named = resource.getAnnotation(ApiName.class);
        return named == null ? resource.getSimpleName() : named.value();
    }

    private static String tag(Class<?> resource, String classPath) {
        String name = name(resource);
        if (name.endsWith("Resource")) {
            name = name.substring(0, name.length() - "Resource".length());
        }
        if (name.isEmpty()) {
            name = Arrays.stream(classPath.split("/")).filter(s -> !s.isBlank()).findFirst().orElse("default");
        }
        return name;
    }

    private static String uniqueId(String base, Set<String> used) {
        String id = base;
        for (int i = 2; !used.add(id); i++) {
            id = base + "_" + i;
        }
        return id;
    }

    private static List<Method> resourceMethods(Class<?> resource) {
        return Arrays.stream(resource.getMethods())
                .filter(m -> !m.isBridge() && !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getDeclaringClass() != Object.class)
                .sorted(METHOD_ORDER)
                .toList();
    }

    /** The method itself or, following JAX-RS annotation inheritance, the overridden method carrying the annotations. */
    private static Method annotatedMethod(Method method) {
        if (isAnnotated(method)) {
            return method;
        }
        Class<?> declaring = method.getDeclaringClass();
        return Stream.concat(Stream.ofNullable(declaring.getSuperclass()), Arrays.stream(declaring.getInterfaces()))
                .map(type -> overridden(type, method))
                .filter(Objects::nonNull)
                .map(OpenApiGenerator::annotatedMethod)
                .filter(Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static Method overridden(Class<?> type, Method method) {
        try {
            return type.getDeclaredMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            Class<?> superclass = type.getSuperclass();
            return superclass == null ? null : overridden(superclass, method);
        }
    }

    private static boolean isAnnotated(Method method) {
        return method.isAnnotationPresent(Path.class) || httpMethod(method) != null;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
            String name = httpMethod == null ? "" : httpMethod.value().toLowerCase(Locale.ROOT);
            if (OPERATION_ORDER.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** {@code PermitAll} is matched by simple name so that no security annotation API is needed. */
    private static boolean permitAll(Class<?> resource, Method method, Method annotated) {
        for (Method m : List.of(method, annotated)) {
            if (hasAnnotationNamed(m, "PermitAll")) {
                return true;
            }
            if (hasAnnotationNamed(m, "RolesAllowed") || hasAnnotationNamed(m, "DenyAll")) {
                return false;
            }
        }
        return hasAnnotationNamed(resource, "PermitAll");
    }

    private static boolean hasAnnotationNamed(AnnotatedElement element, String simpleName) {
        return Arrays.stream(element.getAnnotations()).anyMatch(a -> a.annotationType().getSimpleName().equals(simpleName));
    }

    /** An annotation of the class or, since JAX-RS annotations are not inherited, of its nearest supertype. */
    static <A extends Annotation> A classAnnotation(Class<?> type, Class<A> annotationType) {
        if (type == null || type == Object.class) {
            return null;
        }
        A annotation = type.getAnnotation(annotationType);
        if (annotation != null) {
            return annotation;
        }
        return Stream.concat(Arrays.stream(type.getInterfaces()), Stream.ofNullable(type.getSuperclass()))
                .map(t -> classAnnotation(t, annotationType))
                .filter(Objects::nonNull)
                .findFirst().orElse(null);
    }
}
