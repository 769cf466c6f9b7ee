package org.groupcrm.core.internal.rest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Records of a CSV text as RFC 4180 defines it: fields separated by commas, records by CRLF or LF, fields that contain
 * commas, quotes or line breaks enclosed in double quotes, a quote inside them doubled. A byte order mark at the start
 * is skipped. Reads record by record, so a large body is never held whole.
 */
final class CsvReader {
    private final Reader in;
    private final char[] buffer = new char[16 * 1024];
    private int position;
    private int limit;
    private int pending = -2;
    private boolean started;
    private long line = 1;

    /** A record that is not well-formed CSV. */
    static final class CsvException extends IOException {
        private static final long serialVersionUID = 1L;

        CsvException(String message) {
            super(message);
        }
    }

    CsvReader(Reader in) {
        this.in = in;
    }

    /** @return the line (1-based) where the next record starts */
    long line() {
        return line;
    }

    /**
     * @return the next record's fields (an empty line is a record with one empty field), or {@code null} at the end
     * @throws CsvException a quoted field is not closed, or text follows its closing quote
     */
    List<String> next() throws IOException {
        int c = read();
        if (!started) {
            started = true;
            if (c == '\uFEFF') {
                c = read();
            }
        }
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"' && field.length() == 0) {
                c = quoted(field);
            }
            if (c < 0 || c == '\n' || c == '\r') {
                fields.add(field.toString());
                if (c == '\r') {
                    int n = read();
                    if (n != '\n') {
                        unread(n);
                    }
                }
                if (c >= 0) {
                    line++;
                }
                return fields;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    /** Reads a quoted field after its opening quote; @return the character after the closing quote */
    private int quoted(StringBuilder field) throws IOException {
        long opened = line;
        while (true) {
            int c = read();
            if (c < 0) {
                throw new CsvException("a quoted value opened in line " + opened + " is not closed");
            }
            if (c == '"') {
                int n = read();
                if (n == '"') {
                    field.append('"');
                    continue;
                }
                if (n >= 0 && n != ',' && n != '\n' && n != '\r') {
                    throw new CsvException("line " + line + ": text after the closing quote of a value (write a quote"
                            + " inside a quoted value as \"\")");
                }
                return n;
            }
            if (c == '\n') {
                line++;
            }
            field.append((char) c);
        }
    }

    private int read() throws IOException {
        if (pending != -2) {
            int c = pending;
            pending = -2;
            return c;
        }
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }

    private void unread(int c) {
        pending = c;
    }
}
