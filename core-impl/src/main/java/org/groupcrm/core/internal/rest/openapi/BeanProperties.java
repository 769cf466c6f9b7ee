package org.groupcrm.core.internal.rest.openapi;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Finds the JSON properties of a DTO class the way Jackson does by default: record components, fields, getters. */
final class BeanProperties {

    /** One JSON property: its JSON name, declared (unresolved) type and the annotations of its field and accessor. */
    record Property(String name, Type type, List<Annotation> annotations) {
    }

    private BeanProperties() {
    }

    /**
     * Record components and public (or {@code @JsonProperty}) instance fields in declaration order, superclass
     * first, then getters sorted by name; {@code @JsonIgnore} drops a property and {@code @JsonProperty} renames it.
     */
    static List<Property> of(Class<?> type) {
        Map<String, Property> byJavaName = new LinkedHashMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                String name = component.getName();
                add(byJavaName, name, component.getGenericType(),
                        annotations(findField(type, name), component.getAccessor(), component));
            }
        }
        for (Field field : fieldsSuperclassFirst(type)) {
            int modifiers = field.getModifiers();
            boolean visible = Modifier.isPublic(modifiers) || field.isAnnotationPresent(JsonProperty.class);
            if (visible && !Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                add(byJavaName, field.getName(), field.getGenericType(), annotations(field));
            }
        }
        Arrays.stream(type.getMethods())
                .filter(BeanProperties::isGetter)
                .sorted(Comparator.comparing(Method::getName))
                .forEach(getter -> {
                    String name = propertyName(getter);
                    add(byJavaName, name, getter.getGenericReturnType(), annotations(findField(type, name), getter));
                });
        return byJavaName.values().stream().filter(p -> p.name() != null).toList();
    }

    /** A {@code null} name marks an ignored property so that its field or getter cannot bring it back. */
    private static void add(Map<String, Property> byJavaName, String javaName, Type type, List<Annotation> annotations) {
        if (byJavaName.containsKey(javaName)) {
            return;
        }
        String jsonName = javaName;
        for (Annotation annotation : annotations) {
            if (annotation instanceof JsonIgnore ignore && ignore.value()) {
                jsonName = null;
                break;
            }
            if (annotation instanceof JsonProperty property && !property.value().isEmpty()) {
                jsonName = property.value();
            }
        }
        byJavaName.put(javaName, new Property(jsonName, type, annotations));
    }

    private static boolean isGetter(Method method) {
        if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0 || method.isBridge()
                || method.isSynthetic() || method.getDeclaringClass() == Object.class) {
            return false;
        }
        String name = method.getName();
        Class<?> returnType = method.getReturnType();
        if (name.startsWith("get") && name.length() > 3) {
            return returnType != void.class;
        }
        return name.startsWith("is") && name.length() > 2 && (returnType == boolean.class || returnType == Boolean.class);
    }

    /** Jackson's default name mangling: strip the prefix and lower-case the leading upper-case run. */
    private static String propertyName(Method getter) {
        String name = getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
        StringBuilder result = new StringBuilder(name.length());
        int i = 0;
        while (i < name.length() && Character.isUpperCase(name.charAt(i))) {
            result.append(Character.toLowerCase(name.charAt(i++)));
        }
        return result.append(name, i, name.length()).toString();
    }

    private static List<Field> fieldsSuperclassFirst(Class<?> type) {
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.push(c);
        }
        List<Field> fields = new ArrayList<>();
        hierarchy.forEach(c -> fields.addAll(Arrays.asList(c.getDeclaredFields())));
        return fields;
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name) && !Modifier.isStatic(field.getModifiers())) {
                    return field;
                }
            }
        }
        return null;
    }

    private static List<Annotation> annotations(AnnotatedElement... elements) {
        List<Annotation> result = new ArrayList<>();
        for (AnnotatedElement element : elements) {
            if (element != null) {
                result.addAll(Arrays.asList(element.getAnnotations()));
            }
        }
        return result;
    }
}
