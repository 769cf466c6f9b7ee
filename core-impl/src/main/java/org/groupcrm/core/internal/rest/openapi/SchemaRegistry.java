package org.groupcrm.core.internal.rest.openapi;

import java.io.File;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import javax.validation.constraints.DecimalMax;
import javax.validation.constraints.DecimalMin;
import javax.validation.constraints.Email;
import javax.validation.constraints.Max;
import javax.validation.constraints.Min;
import javax.validation.constraints.Negative;
import javax.validation.constraints.NegativeOrZero;
import javax.validation.constraints.NotBlank;
import javax.validation.constraints.NotEmpty;
import javax.validation.constraints.NotNull;
import javax.validation.constraints.Pattern;
import javax.validation.constraints.Positive;
import javax.validation.constraints.PositiveOrZero;
import javax.validation.constraints.Size;
import javax.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Maps Java types to JSON schemas and collects DTOs as named, sorted {@code components/schemas}; one per document. */
final class SchemaRegistry {

    static final String ERROR_RESPONSE = "ErrorResponse";
    static final String REF_PREFIX = "#/components/schemas/";

    private static final Map<Class<?>, String[]> SCALARS = new HashMap<>();
    private static final Map<Class<?>, String[]> SCALAR_SUPERTYPES = new LinkedHashMap<>();

    static {
        scalar("string", null, String.class, char.class, Character.class);
        scalar("boolean", null, boolean.class, Boolean.class);
        scalar("integer", "int32", int.class, Integer.class, short.class, Short.class, byte.class, Byte.class, OptionalInt.class);
        scalar("integer", "int64", long.class, Long.class, OptionalLong.class);
        scalar("integer", null, BigInteger.class);
        scalar("number", "float", float.class, Float.class);
        scalar("number", "double", double.class, Double.class, OptionalDouble.class);
        scalar("number", null, BigDecimal.class);
        scalar("string", "date-time", Instant.class, OffsetDateTime.class, ZonedDateTime.class);
        scalar("string", "date", LocalDate.class);
        scalar("string", null, LocalDateTime.class, LocalTime.class, Duration.class);
        scalar("string", "uuid", UUID.class);
        scalar("string", "uri", URI.class, URL.class);
        scalar("string", "byte", byte[].class);
        scalar("string", "binary", File.class);
        SCALAR_SUPERTYPES.put(CharSequence.class, new String[] {"string", null});
        SCALAR_SUPERTYPES.put(Number.class, new String[] {"number", null});
        SCALAR_SUPERTYPES.put(Date.class, new String[] {"string", "date-time"});
        SCALAR_SUPERTYPES.put(Calendar.class, new String[] {"string", "date-time"});
        SCALAR_SUPERTYPES.put(ZoneId.class, new String[] {"string", null});
        SCALAR_SUPERTYPES.put(InputStream.class, new String[] {"string", "binary"});
        SCALAR_SUPERTYPES.put(StreamingOutput.class, new String[] {"string", "binary"});
    }

    private final Map<String, Map<String, Object>> components = new TreeMap<>();
    private final Map<String, String> namesByKey = new HashMap<>();

    SchemaRegistry() {
        components.put(ERROR_RESPONSE, errorResponse());
    }

    /** The named schemas collected so far, sorted by name. */
    Map<String, Object> components() {
        return new LinkedHashMap<>(components);
    }

    /** A mutable JSON object with the given alternating keys and values, in that order. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static Map<String, Object> ref(String componentName) {
        return map("$ref", REF_PREFIX + componentName);
    }

    /** A fresh schema for {@code type}, whose type variables must already be resolved. */
    Map<String, Object> schema(Type type) {
        Class<?> raw = GenericTypes.rawClass(type);
        Map<String, Object> scalar = scalar(raw);
        if (scalar != null) {
            return scalar;
        }
        if (raw.isEnum()) {
            return map("type", "string", "enum", enumValues(raw));
        }
        if (raw.isArray()) {
            return map("type", "array", "items", schema(GenericTypes.componentType(type)));
        }
        if (raw == Optional.class) {
            return schema(GenericTypes.typeArgument(type, Optional.class, 0));
        }
        if (raw == Object.class || isJsonNode(raw)) {
            return map("type", "object");
        }
        if (Collection.class.isAssignableFrom(raw) || raw == Iterable.class) {
            Map<String, Object> array = map("type", "array", "items", schema(GenericTypes.typeArgument(type, Iterable.class, 0)));
            if (Set.class.isAssignableFrom(raw)) {
                array.put("uniqueItems", true);
            }
            return array;
        }
        if (Map.class.isAssignableFrom(raw)) {
            Type valueType = GenericTypes.typeArgument(type, Map.class, 1);
            Object values = GenericTypes.rawClass(valueType) == Object.class ? Boolean.TRUE : schema(valueType);
            return map("type", "object", "additionalProperties", values);
        }
        if (raw.isPrimitive() || raw.getName().startsWith("java.")) {
            return map("type", "object");
        }
        return componentRef(type);
    }

    private Map<String, Object> componentRef(Type type) {
        String key = GenericTypes.key(type);
        String name = namesByKey.get(key);
        if (name == null) {
            name = uniqueName(GenericTypes.name(type));
            namesByKey.put(key, name);
            // Reserve the name before the properties are described, which may register further components.
            components.put(name, new LinkedHashMap<>());
            components.put(name, objectSchema(type));
        }
        return ref(name);
    }

    private String uniqueName(String base) {
        String name = base;
        for (int i = 2; components.containsKey(name); i++) {
            name = base + i;
        }
        return name;
    }

    private Map<String, Object> objectSchema(Type type) {
        Map<TypeVariable<?>, Type> bindings = GenericTypes.bindings(type);
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (BeanProperties.Property property : BeanProperties.of(GenericTypes.rawClass(type))) {
            Map<String, Object> schema = schema(GenericTypes.resolve(property.type(), bindings));
            constrain(schema, property.annotations());
            properties.put(property.name(), schema);
            if (isRequired(property.annotations())) {
                required.add(property.name());
            }
        }
        Map<String, Object> schema = map("type", "object", "properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    static boolean isRequired(Collection<Annotation> annotations) {
        return annotations.stream().anyMatch(a -> a instanceof NotNull || a instanceof NotBlank || a instanceof NotEmpty);
    }

    /** Adds the Bean Validation constraints to an inline schema; a {@code $ref} allows no sibling keywords. */
    static void constrain(Map<String, Object> schema, Collection<Annotation> annotations) {
        if (schema.containsKey("$ref")) {
            return;
        }
        for (Annotation annotation : annotations) {
            if (annotation instanceof Size size) {
                sizeBounds(schema, size.min(), size.max());
            } else if (annotation instanceof NotEmpty || annotation instanceof NotBlank) {
                sizeBounds(schema, 1, Integer.MAX_VALUE);
            } else if (annotation instanceof Min min) {
                schema.put("minimum", min.value());
            } else if (annotation instanceof Max max) {
                schema.put("maximum", max.value());
            } else if (annotation instanceof DecimalMin min) {
                bound(schema, "minimum", "exclusiveMinimum", new BigDecimal(min.value()), !min.inclusive());
            } else if (annotation instanceof DecimalMax max) {
                bound(schema, "maximum", "exclusiveMaximum", new BigDecimal(max.value()), !max.inclusive());
            } else if (annotation instanceof Positive || annotation instanceof PositiveOrZero) {
                bound(schema, "minimum", "exclusiveMinimum", 0, annotation instanceof Positive);
            } else if (annotation instanceof Negative || annotation instanceof NegativeOrZero) {
                bound(schema, "maximum", "exclusiveMaximum", 0, annotation instanceof Negative);
            } else if (annotation instanceof Pattern pattern) {
                schema.put("pattern", pattern.regexp());
            } else if (annotation instanceof Email) {
                schema.put("format", "email");
            }
        }
    }

    private static void sizeBounds(Map<String, Object> schema, int min, int max) {
        String suffix = switch (String.valueOf(schema.get("type"))) {
            case "string" -> "Length";
            case "array" -> "Items";
            case "object" -> "Properties";
            default -> null;
        };
        if (suffix == null) {
            return;
        }
        int current = (Integer) schema.getOrDefault("min" + suffix, 0);
        if (min > current) {
            schema.put("min" + suffix, min);
        }
        if (max != Integer.MAX_VALUE) {
            schema.put("max" + suffix, max);
        }
    }

    private static void bound(Map<String, Object> schema, String keyword, String exclusiveKeyword, Object value, boolean exclusive) {
        schema.put(keyword, value);
        if (exclusive) {
            schema.put(exclusiveKeyword, true);
        }
    }

    private static Map<String, Object> scalar(Class<?> raw) {
        String[] typeAndFormat = SCALARS.get(raw);
        if (typeAndFormat == null) {
            typeAndFormat = SCALAR_SUPERTYPES.entrySet().stream()
                    .filter(e -> e.getKey().isAssignableFrom(raw))
                    .map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
        if (typeAndFormat == null) {
            return null;
        }
        Map<String, Object> schema = map("type", typeAndFormat[0]);
        if (typeAndFormat[1] != null) {
            schema.put("format", typeAndFormat[1]);
        }
        return schema;
    }

    private static void scalar(String type, String format, Class<?>... classes) {
        for (Class<?> c : classes) {
            SCALARS.put(c, new String[] {type, format});
        }
    }

    private static List<String> enumValues(Class<?> enumType) {
        List<String> values = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                JsonProperty renamed = enumType.getField(name).getAnnotation(JsonProperty.class);
                values.add(renamed != null && !renamed.value().isEmpty() ? renamed.value() : name);
            } catch (NoSuchFieldException e) {
                values.add(name);
            }
        }
        return values;
    }

    private static boolean isJsonNode(Class<?> raw) {
        for (Class<?> c = raw; c != null; c = c.getSuperclass()) {
            if (c.getName().equals("com.fasterxml.jackson.databind.JsonNode")) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> errorResponse() {
        Map<String, Object> string = map("type", "string");
        Map<String, Object> row = map("type", "integer", "format", "int32", "description",
                "for a refused batch: the 1-based data row (a CSV file's header row does not count)");
        Map<String, Object> fieldError = map("type", "object", "properties", map("row", row,
                "field", new LinkedHashMap<>(string), "reason", new LinkedHashMap<>(string)));
        return map("type", "object", "properties", map(
                "error", new LinkedHashMap<>(string),
                "message", new LinkedHashMap<>(string),
                "fields", map("type", "array", "items", fieldError)));
    }
}
