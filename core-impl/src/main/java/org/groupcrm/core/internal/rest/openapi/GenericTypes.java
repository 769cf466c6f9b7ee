package org.groupcrm.core.internal.rest.openapi;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Reflection helpers that resolve type variables of generic types and derive stable names and keys from them. */
final class GenericTypes {

    private GenericTypes() {
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType a) {
            return Array.newInstance(rawClass(a.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        return Object.class;
    }

    /** Binds the type variables of the raw class of {@code type} and of all its supertypes to concrete types. */
    static Map<TypeVariable<?>, Type> bindings(Type type) {
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        bind(type, bindings);
        return bindings;
    }

    private static void bind(Type type, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw = rawClass(type);
        if (type instanceof ParameterizedType p) {
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = p.getActualTypeArguments();
            for (int i = 0; i < variables.length && i < arguments.length; i++) {
                bindings.putIfAbsent(variables[i], resolve(arguments[i], bindings));
            }
        }
        Type superclass = raw.getGenericSuperclass();
        if (superclass != null && superclass != Object.class) {
            bind(resolve(superclass, bindings), bindings);
        }
        for (Type iface : raw.getGenericInterfaces()) {
            bind(resolve(iface, bindings), bindings);
        }
    }

    /** Substitutes bound type variables; unbound ones and wildcards become their (erased) bound. */
    static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable<?> v) {
            Type bound = bindings.get(v);
            return bound != null ? bound : rawClass(v.getBounds()[0]);
        }
        if (type instanceof WildcardType w) {
            Type[] lower = w.getLowerBounds();
            return resolve(lower.length > 0 ? lower[0] : w.getUpperBounds()[0], bindings);
        }
        if (type instanceof GenericArrayType a) {
            Type component = resolve(a.getGenericComponentType(), bindings);
            return component instanceof Class<?> c ? Array.newInstance(c, 0).getClass() : new ArrayType(component);
        }
        if (type instanceof ParameterizedType p) {
            Type[] arguments = Arrays.stream(p.getActualTypeArguments()).map(t -> resolve(t, bindings)).toArray(Type[]::new);
            return new Parameterized((Class<?>) p.getRawType(), arguments, p.getOwnerType());
        }
        return type;
    }

    /** The resolved type argument {@code index} that {@code type} supplies to the generic supertype {@code target}. */
    static Type typeArgument(Type type, Class<?> target, int index) {
        TypeVariable<?>[] variables = target.getTypeParameters();
        Type bound = index < variables.length ? bindings(type).get(variables[index]) : null;
        return bound != null ? bound : Object.class;
    }

    static Type componentType(Type arrayType) {
        return arrayType instanceof GenericArrayType a ? a.getGenericComponentType() : rawClass(arrayType).getComponentType();
    }

    /** A readable name such as {@code PageCustomerDTO} for {@code Page<CustomerDTO>}. */
    static String name(Type type) {
        if (type instanceof ParameterizedType p) {
            return rawClass(p).getSimpleName()
                    + Arrays.stream(p.getActualTypeArguments()).map(GenericTypes::name).collect(Collectors.joining());
        }
        Class<?> raw = rawClass(type);
        if (raw.isArray()) {
            return name(componentType(type)) + "Array";
        }
        return raw.getSimpleName().isEmpty() ? "Object" : raw.getSimpleName();
    }

    /** A unique identity such as {@code org.x.Page<org.x.CustomerDTO>}. */
    static String key(Type type) {
        if (type instanceof ParameterizedType p) {
            return rawClass(p).getName()
                    + Arrays.stream(p.getActualTypeArguments()).map(GenericTypes::key).collect(Collectors.joining(",", "<", ">"));
        }
        Class<?> raw = rawClass(type);
        return raw.isArray() ? key(componentType(type)) + "[]" : raw.getName();
    }

    private record Parameterized(Class<?> raw, Type[] arguments, Type owner) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return owner;
        }

        @Override
        public String getTypeName() {
            return key(this);
        }
    }

    private record ArrayType(Type component) implements GenericArrayType {
        @Override
        public Type getGenericComponentType() {
            return component;
        }

        @Override
        public String getTypeName() {
            return key(this);
        }
    }
}
