package org.groupcrm.core.internal.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows streamed into a table with PostgreSQL's {@code COPY ... FROM STDIN} (text format) on a given connection — the
 * transaction's own, so the rows commit or roll back with the rest of it. Values are added column by column in the
 * order named, each row ends with {@link #endRow()}; {@link #finish()} ends the COPY. Not thread-safe; close it on
 * failure, which cancels a COPY still open so the connection can roll back.
 */
public final class PgCopy implements AutoCloseable {
    private static final int FLUSH_CHARS = 64 * 1024;

    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 8 * 1024);
    private boolean first = true;
    private long rows;

    private PgCopy(CopyIn copy) {
        this.copy = copy;
    }

    /** Starts {@code COPY table (columns) FROM STDIN}; the names are SQL identifiers of the caller's, never input. */
    public static PgCopy into(Connection connection, String table, String... columns) throws SQLException {
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        return new PgCopy(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql));
    }

    /** A text value; {@code null} is SQL NULL. The text must not contain NUL characters (PostgreSQL refuses them). */
    public PgCopy text(String value) {
        separate();
        if (value == null) {
            buffer.append("\\N");
            return this;
        }
        int special = 0;
        while (special < value.length() && !special(value.charAt(special))) {
            special++;
        }
        buffer.append(value, 0, special);
        for (int i = special; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> buffer.append("\\\\");
                case '\n' -> buffer.append("\\n");
                case '\r' -> buffer.append("\\r");
                case '\t' -> buffer.append("\\t");
                default -> buffer.append(ch);
            }
        }
        return this;
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\n' || c == '\r' || c == '\t';
    }

    public PgCopy number(Long value) {
        separate();
        buffer.append(value == null ? "\\N" : value.toString());
        return this;
    }

    public PgCopy number(Integer value) {
        return number(value == null ? null : value.longValue());
    }

    public PgCopy bool(boolean value) {
        separate();
        buffer.append(value ? 't' : 'f');
        return this;
    }

    /** A TIMESTAMPTZ value in ISO 8601 (UTC), as {@link Instant#toString()} writes it. */
    public PgCopy instant(Instant value) {
        separate();
        buffer.append(value == null ? "\\N" : value.toString());
        return this;
    }

    public void endRow() throws SQLException {
        buffer.append('\n');
        first = true;
        rows++;
        if (buffer.length() >= FLUSH_CHARS) {
            flush();
        }
    }

    /** Ends the COPY; @return the number of rows the server took */
    public long finish() throws SQLException {
        flush();
        long copied = copy.endCopy();
        if (copied != rows) {
            throw new SQLException("COPY took " + copied + " rows of " + rows);
        }
        return copied;
    }

    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }

    private void separate() {
        if (first) {
            first = false;
        } else {
            buffer.append('\t');
        }
    }

    private void flush() throws SQLException {
        if (buffer.length() > 0) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }
}
