package org.groupcrm.core.internal.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.internal.service.InvalidRowsException;
import org.groupcrm.core.internal.service.RowError;
import org.groupcrm.core.internal.service.TooManyRowsException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * The body of a customer import as customers, row by row: {@code text/csv} with a header row naming the columns (the
 * fields of a customer create, case-insensitive) or {@code application/json}, an array of customer create objects.
 * A CSV value is read as the same field in JSON would be (empty: absent; read-only fields ignored), so both accept
 * and refuse the same. Stops reading at the row past the cap.
 */
final class CustomerRows {
    static final String TEXT_CSV = "text/csv";
    static final MediaType TEXT_CSV_TYPE = MediaType.valueOf(TEXT_CSV);

    private static final ObjectMapper JSON = JsonProvider.createMapper();
    private static final ObjectReader CUSTOMER = JSON.readerFor(CustomerDTO.class);
    /** The customer's fields by their lower-case names: what a CSV header may name (read-only ones are ignored). */
    private static final Map<String, String> COLUMNS = columns();
    /** The fields a create writes, as the message about an unknown column lists them. */
    static final List<String> WRITABLE = List.of("name", "phone", "email", "occupation", "birthYear", "age", "address",
            "notes", "owner");

    private CustomerRows() {
    }

    /**
     * @throws ValidationException      the body cannot be read as customers (an {@link InvalidRowsException} naming
     *                                  each row that cannot)
     * @throws TooManyRowsException     more than {@code maxRows} rows
     * @throws WebApplicationException  415 for a media type other than CSV or JSON
     */
    static List<CustomerDTO> read(MediaType type, InputStream body, int maxRows) throws IOException {
        if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return json(body, maxRows);
        }
        if (type != null && type.isCompatible(TEXT_CSV_TYPE)) {
            return csv(body, charset(type), maxRows);
        }
        throw new WebApplicationException(ErrorMappers.respond(415, ErrorBody.of("unsupported_media_type",
                "unsupported media type " + (type == null ? "(none)" : type.getType() + "/" + type.getSubtype())
                        + ": send text/csv (a header row naming the columns, then one customer per line) or"
                        + " application/json (an array of customers)")));
    }

    private static List<CustomerDTO> json(InputStream body, int maxRows) throws IOException {
        List<CustomerDTO> rows = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ValidationException("body", "no customers to import: send an array of customers");
            }
            if (first != JsonToken.START_ARRAY) {
                throw new ValidationException("body", "must be a JSON array of customers");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int row = rows.size() + 1;
                if (row > maxRows) {
                    throw new TooManyRowsException(maxRows);
                }
                JsonNode node = parser.readValueAsTree();
                rows.add(node != null && node.isObject() ? customer(row, node, errors) : null);
                if (node == null || !node.isObject()) {
                    errors.add(new RowError(row, "body", "must be a JSON object (a customer)"));
                }
            }
            if (parser.nextToken() != null) {
                throw new ValidationException("body", "malformed JSON: text after the array of customers");
            }
        } catch (JsonParseException e) {
            throw new ValidationException("body", "malformed JSON (after " + rows.size() + " customers): "
                    + e.getOriginalMessage());
        }
        if (!errors.isEmpty()) {
            throw new InvalidRowsException(errors, rows.size());
        }
        return rows;
    }

    private static List<CustomerDTO> csv(InputStream body, Charset charset, int maxRows) throws IOException {
        CsvReader reader = new CsvReader(new InputStreamReader(body, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        List<CustomerDTO> rows = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        try {
            List<String> header = reader.next();
            while (header != null && blank(header)) {
                header = reader.next();
            }
            if (header == null) {
                throw new ValidationException("body", "no customers to import: send a header row naming the columns,"
                        + " then one customer per line");
            }
            List<String> columns = header(header);
            for (List<String> values = reader.next(); values != null; values = reader.next()) {
                if (blank(values)) {
                    continue;
                }
                int row = rows.size() + 1;
                if (row > maxRows) {
                    throw new TooManyRowsException(maxRows);
                }
                if (values.size() != columns.size()) {
                    errors.add(new RowError(row, "body", "has " + values.size() + (values.size() == 1 ? " value" : " values")
                            + "; the header names " + columns.size() + " columns"));
                    rows.add(null);
                    continue;
                }
                CustomerDTO customer = new CustomerDTO();
                for (int i = 0; i < columns.size(); i++) {
                    String value = values.get(i).strip();
                    if (!value.isEmpty()) {
                        set(customer, columns.get(i), value, row, errors);
                    }
                }
                rows.add(customer);
            }
        } catch (CsvReader.CsvException e) {
            throw new ValidationException("body", "malformed CSV (after " + rows.size() + " customers): " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw new ValidationException("body", "not " + charset.name() + " text (line " + reader.line() + ")");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRowsException(errors, rows.size());
        }
        return rows;
    }

    /** @return the header's columns as customer fields; refuses unknown, unnamed and repeated columns */
    private static List<String> header(List<String> header) {
        List<String> columns = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            String field = COLUMNS.get(name.toLowerCase(Locale.ROOT));
            if (name.isEmpty()) {
                errors.add(new FieldError("header", "column " + (i + 1) + " has no name"));
            } else if (field == null) {
                errors.add(new FieldError(name, "unknown column; a customer's columns are " + String.join(", ", WRITABLE)));
            } else if (!seen.add(field)) {
                errors.add(new FieldError(name, "named twice in the header"));
            }
            columns.add(field);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return columns;
    }

    /** Sets a writable field from its CSV value as JSON would read it; values of read-only fields are ignored. */
    private static void set(CustomerDTO c, String field, String value, int row, List<RowError> errors) {
        switch (field) {
            case "name" -> c.name = value;
            case "phone" -> c.phone = value;
            case "email" -> c.email = value;
            case "occupation" -> c.occupation = value;
            case "address" -> c.address = value;
            case "notes" -> c.notes = value;
            case "owner" -> c.owner = value;
            case "birthYear" -> c.birthYear = integer(field, value, row, errors);
            case "age" -> c.age = integer(field, value, row, errors);
            default -> {
                // id, subsidiary, enteredBy, timestamps, version, archived: kept by the server, ignored as in JSON
            }
        }
    }

    private static Integer integer(String field, String value, int row, List<RowError> errors) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            errors.add(new RowError(row, field, "cannot read '" + value + "' as Integer"));
            return null;
        }
    }

    private static CustomerDTO customer(int row, JsonNode node, List<RowError> errors) throws IOException {
        try {
            return CUSTOMER.readValue(node);
        } catch (JsonProcessingException e) {
            FieldError f = ErrorMappers.JsonErrors.describe(e);
            errors.add(new RowError(row, f.field(), f.reason()));
            return null;
        }
    }

    private static boolean blank(List<String> values) {
        return values.size() == 1 && values.get(0).isBlank();
    }

    private static Charset charset(MediaType type) {
        String name = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new WebApplicationException(ErrorMappers.respond(415, ErrorBody.of("unsupported_media_type",
                    "unknown charset '" + name + "': send UTF-8")));
        }
    }

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : JSON.getDeserializationConfig().introspect(JSON.constructType(CustomerDTO.class))
                .findProperties()) {
            if (p.hasField() || p.hasSetter()) {
                columns.put(p.getName().toLowerCase(Locale.ROOT), p.getName());
            }
        }
        return java.util.Collections.unmodifiableMap(columns);
    }
}
