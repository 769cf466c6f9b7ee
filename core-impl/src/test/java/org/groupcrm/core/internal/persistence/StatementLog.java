package org.groupcrm.core.internal.persistence;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

/**
 * The SQL statements run through a DataSource: each prepared statement, and each statement executed directly, once.
 * Tests use it to hold a read path to its number of database round trips.
 */
public final class StatementLog {
    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());

    /** @return {@code target}, recording the statements of the connections it hands out */
    DataSource wrap(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection c && method.getName().equals("getConnection")
                            ? connection(c) : result;
                });
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") || method.getName().equals("prepareCall")) {
                        statements.add((String) args[0]);
                    }
                    Object result = invoke(target, method, args);
                    return result instanceof Statement s && method.getName().equals("createStatement")
                            ? statement(s) : result;
                });
    }

    private Statement statement(Statement target) {
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("execute") && args != null && args.length > 0
                            && args[0] instanceof String sql) {
                        statements.add(sql);
                    }
                    return invoke(target, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Forgets what was recorded so far. */
    public void clear() {
        statements.clear();
    }

    /** @return the statements recorded since the last {@link #clear()}, oldest first */
    public List<String> statements() {
        synchronized (statements) {
            return List.copyOf(statements);
        }
    }
}
