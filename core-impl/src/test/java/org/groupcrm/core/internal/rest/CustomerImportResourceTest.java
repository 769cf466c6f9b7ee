package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.CrmException;
import org.groupcrm.core.internal.persistence.TestDatabase;
import org.groupcrm.core.internal.service.CoreServices;
import org.groupcrm.core.internal.service.CustomerImportDTO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code POST /customers/import} from the body to the database and back to the answer (the resource with its
 * exception mappers, on a real PostgreSQL): CSV and JSON, each way a batch is refused, and that a refused batch
 * writes nothing.
 */
class CustomerImportResourceTest {
    private static final ObjectMapper JSON = JsonProvider.createMapper();
    private static TestDatabase db;
    private static CoreServices services;
    private static int subsidiaries;

    private final CustomerResource resource = new CustomerResource();
    private String code;
    private long sid;
    private CallerContext admin;
    private CallerContext rep;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        services = new CoreServices(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @BeforeEach
    void subsidiary() throws Exception {
        services.configure(10_000, "phone");
        resource.imports = services.imports();
        resource.customers = services.customers();
        code = "R" + (++subsidiaries);
        sid = services.subsidiary(code);
        admin = services.user("admin-" + code, code, "subsidiary-admin");
        rep = services.user("rep-" + code, code);
    }

    /** The answer as the client sees it: status and JSON body. */
    private record Answer(int status, JsonNode body) {
    }

    private Answer post(String contentType, String body) throws Exception {
        return post(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private Answer post(String contentType, byte[] body) throws Exception {
        SecurityContext sc = (SecurityContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SecurityContext.class}, (p, m, a) -> m.getName().equals("getUserPrincipal") ? admin : null);
        HttpHeaders headers = (HttpHeaders) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpHeaders.class}, (p, m, a) -> m.getName().equals("getMediaType")
                        ? (contentType == null ? null : MediaType.valueOf(contentType)) : null);
        Response r;
        try {
            r = resource.importCustomers(sc, headers, new ByteArrayInputStream(body));
        } catch (CrmException e) {
            r = new ErrorMappers.CrmErrors().toResponse(e);
        } catch (WebApplicationException e) {
            r = new ErrorMappers.HttpErrors().toResponse(e);
        }
        return new Answer(r.getStatus(), JSON.valueToTree(r.getEntity()));
    }

    private long customers() throws Exception {
        return ((Number) db.scalar("SELECT count(*) FROM crm_customer WHERE subsidiary_id = ?", sid)).longValue();
    }

    private void assertRefused(Answer a, int status, String error) throws Exception {
        assertEquals(status, a.status(), a.body().toString());
        assertEquals(error, a.body().get("error").asText(), a.body().toString());
        assertEquals(0, customers(), "nothing written");
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM crm_audit WHERE subsidiary_id = ?", sid)).longValue());
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void csvCreatesACustomerPerLine() throws Exception {
        String csv = "\uFEFFName, Phone ,EMAIL,owner,age,notes\r\n"
                + "\"Zhang, Min\",+86 21 5555 0101,zhang@example.com," + "rep-" + code + ",41,\"said \"\"call me\"\"\nin May\"\r\n"
                + "\r\n"
                + "Li Wei,,,,,\r\n"
                + "Wang Fang,+86 21 5555 0103,,,,\r\n";
        Answer a = post("text/csv", csv);
        assertEquals(201, a.status(), a.body().toString());
        CustomerImportDTO result = JSON.treeToValue(a.body(), CustomerImportDTO.class);
        assertEquals(3, result.created);
        assertEquals(3, result.ids.size());
        assertEquals(List.of("Zhang, Min", "+86 21 5555 0101", "zhang@example.com", rep.userId(), admin.userId(),
                "said \"call me\"\nin May"), db.rows("SELECT name, phone, email, owner_id, entered_by_id, notes FROM"
                + " crm_customer WHERE id = ?", result.ids.get(0)).get(0));
        assertEquals(java.util.Arrays.asList("Li Wei", null, admin.userId()),
                db.rows("SELECT name, phone, owner_id FROM crm_customer WHERE id = ?", result.ids.get(1)).get(0));
        assertEquals(3L, ((Number) db.scalar("SELECT count(*) FROM crm_audit WHERE subsidiary_id = ?"
                + " AND action = 'CREATE'", sid)).longValue());
    }

    @Test
    void everyWritableFieldCanBeAColumnAndReadOnlyColumnsAreIgnored() throws Exception {
        Answer a = post("text/csv", "id,Name,phone,email,occupation,birthYear,address,notes,owner,enteredBy,version,archived\n"
                + "77,Zhang Min,+86 21 1,z@example.com,engineer,1980,Nanjing Road 1,vip,rep-" + code + ",rep-" + code
                + ",9,true\n"
                + ",Li Wei,,,,,,,,,,\n");
        assertEquals(201, a.status(), a.body().toString());
        long id = a.body().at("/ids/0").asLong();
        assertEquals(List.of("Zhang Min", "+86 21 1", "z@example.com", "engineer", 1980, "Nanjing Road 1", "vip", rep.userId(),
                admin.userId(), 1L, false), db.rows("SELECT name, phone, email, occupation, birth_year, address, notes,"
                + " owner_id, entered_by_id, version, archived FROM crm_customer WHERE id = ?", id).get(0));
        assertEquals(Integer.valueOf(java.time.Year.now().getValue() - 30), db.scalar("SELECT birth_year FROM crm_customer"
                + " WHERE id = ?", JSON.treeToValue(post("text/csv", "name,age\nAged,30\n").body(), CustomerImportDTO.class)
                .ids.get(0)));
    }

    @Test
    void theCsvColumnsAreTheCustomersFields() {
        List<String> fields = java.util.Arrays.stream(org.groupcrm.core.api.customer.CustomerDTO.class.getFields())
                .map(java.lang.reflect.Field::getName).toList();
        assertTrue(fields.containsAll(CustomerRows.WRITABLE), fields.toString());
        assertEquals(java.util.Set.of("id", "subsidiary", "enteredBy", "createdAt", "updatedAt", "version", "archived"),
                fields.stream().filter(f -> !CustomerRows.WRITABLE.contains(f)).collect(java.util.stream.Collectors.toSet()),
                "a new writable field of a customer must become a CSV column too");
    }

    @Test
    void jsonCreatesACustomerPerElement() throws Exception {
        Answer a = post("application/json; charset=utf-8", """
                [{"name": "Zhang Min", "phone": "+86 21 5555 0101", "owner": "rep-%s", "birthYear": 1984},
                 {"name": "Li Wei", "id": 5, "enteredBy": "someone", "archived": true}]""".formatted(code));
        assertEquals(201, a.status(), a.body().toString());
        assertEquals(2, a.body().get("created").asInt());
        long second = a.body().get("ids").get(1).asLong();
        assertEquals(List.of("Li Wei", admin.userId(), false), db.rows("SELECT name, entered_by_id, archived FROM"
                + " crm_customer WHERE id = ?", second).get(0));
        assertEquals(2, customers());
    }

    @Test
    void anUnknownCsvColumnIsRefusedByName() throws Exception {
        Answer a = post("text/csv", "name,phone,nmae\nZhang,123,x\n");
        assertRefused(a, 400, "validation_failed");
        assertEquals(json("""
                [{"field": "nmae", "reason": "unknown column; a customer's columns are name, phone, email, occupation,\
                 birthYear, age, address, notes, owner"}]"""), a.body().get("fields"));
        assertRefused(post("text/csv", "name,Name\nZhang,Li\n"), 400, "validation_failed");
        assertRefused(post("text/csv", "name,,phone\nZhang,,1\n"), 400, "validation_failed");
    }

    @Test
    void invalidRowsAreListedWithTheirRowNumbersAndNothingIsWritten() throws Exception {
        String csv = "name,phone,email,birthYear\n"
                + "Good,+49 30 1,,\n"
                + "\n"
                + ",+49 30 2,,\n"
                + "Bad mail,+49 30 3,not-an-address,\n"
                + "Good too,+49 30 4,,1970\n";
        Answer a = post("text/csv", csv);
        assertRefused(a, 400, "validation_failed");
        assertEquals(json("""
                [{"row": 2, "field": "name", "reason": "must not be blank"},
                 {"row": 3, "field": "email", "reason": "must be a well-formed email address"}]"""), a.body().get("fields"));
        assertEquals("2 problems in 2 of 4 rows: invalid; nothing was imported", a.body().get("message").asText());
    }

    @Test
    void unreadableRowsAreListedBeforeAnythingElse() throws Exception {
        Answer csv = post("text/csv", "name,birthYear\nA,1970\nB,abc\nC\nD,1980,extra\n");
        assertRefused(csv, 400, "validation_failed");
        assertEquals(json("""
                [{"row": 2, "field": "birthYear", "reason": "cannot read 'abc' as Integer"},
                 {"row": 3, "field": "body", "reason": "has 1 value; the header names 2 columns"},
                 {"row": 4, "field": "body", "reason": "has 3 values; the header names 2 columns"}]"""),
                csv.body().get("fields"));
        Answer json = post("application/json", "[{\"name\": \"A\"}, {\"name\": \"B\", \"nmae\": 1}, 7, null]");
        assertRefused(json, 400, "validation_failed");
        assertEquals(json("""
                [{"row": 2, "field": "nmae", "reason": "unknown field"},
                 {"row": 3, "field": "body", "reason": "must be a JSON object (a customer)"},
                 {"row": 4, "field": "body", "reason": "must be a JSON object (a customer)"}]"""), json.body().get("fields"));
    }

    @Test
    void aPhoneTwiceInTheBatchOrOfALiveCustomerIs409() throws Exception {
        Answer twice = post("text/csv", "name,phone\nA,+49 30 111\nB,+49 30 222\nC,+4930111\n");
        assertRefused(twice, 409, "duplicate_customer");
        assertEquals(json("[{\"row\": 3, \"field\": \"phone\", \"reason\": \"same phone as row 1 of this import\"}]"),
                twice.body().get("fields"));

        CallerContext caller = admin;
        admin = rep;
        long existing = JSON.treeToValue(post("application/json", "[{\"name\": \"Existing\", \"phone\": \"+49 30 333\"}]")
                .body(), CustomerImportDTO.class).ids.get(0);
        admin = caller;
        Answer taken = post("application/json", "[{\"name\": \"New\", \"phone\": \"+49 (30) 444\"},"
                + " {\"name\": \"Again\", \"phone\": \"49 30 333\"}]");
        assertEquals(409, taken.status());
        assertEquals(json("""
                [{"row": 2, "field": "phone", "reason": "customer %d (Existing) with the same phone belongs to rep-%s already;\
                 ask them, or an administrator to reassign it"}]""".formatted(existing, code)), taken.body().get("fields"));
        assertEquals(1, customers());
    }

    @Test
    void moreRowsThanTheCapIs413() throws Exception {
        services.configure(2, "phone");
        assertRefused(post("text/csv", "name\nA\nB\nC\n"), 413, "too_many_rows");
        assertRefused(post("application/json", "[{\"name\": \"A\"}, {\"name\": \"B\"}, {\"name\": \"C\"}]"), 413,
                "too_many_rows");
        assertEquals(201, post("text/csv", "name\nA\nB\n").status());
    }

    @Test
    void otherMediaTypesAre415() throws Exception {
        Answer plain = post("text/plain", "name\nA\n");
        assertRefused(plain, 415, "unsupported_media_type");
        assertTrue(plain.body().get("message").asText().contains("text/csv"), plain.body().toString());
        assertRefused(post(null, "name\nA\n"), 415, "unsupported_media_type");
        assertRefused(post("text/csv; charset=no-such-charset", "name\nA\n"), 415, "unsupported_media_type");
    }

    @Test
    void anEmptyBatchIs400() throws Exception {
        for (String csv : List.of("", "\n\n", "name,phone\n", "name,phone\n\n")) {
            Answer a = post("text/csv", csv);
            assertRefused(a, 400, "validation_failed");
            assertTrue(a.body().at("/fields/0/reason").asText().startsWith("no customers to import"), a.body().toString());
        }
        for (String json : List.of("", "[]", "  [ ] ")) {
            Answer a = post("application/json", json);
            assertRefused(a, 400, "validation_failed");
            assertTrue(a.body().at("/fields/0/reason").asText().startsWith("no customers to import"), a.body().toString());
        }
    }

    @Test
    void malformedBodiesAre400() throws Exception {
        assertRefused(post("text/csv", "name\n\"Zhang\nLi\n"), 400, "validation_failed");
        assertRefused(post("text/csv", "name\n\"Zhang\"x\n"), 400, "validation_failed");
        assertRefused(post("application/json", "[{\"name\": \"A\"}, {\"name\": "), 400, "validation_failed");
        assertRefused(post("application/json", "{\"name\": \"A\"}"), 400, "validation_failed");
        assertRefused(post("application/json", "[{\"name\": \"A\"}] []"), 400, "validation_failed");
        Answer latin = post("text/csv", new byte[] {'n', 'a', 'm', 'e', '\n', 'Z', (byte) 0xE9, '\n'});
        assertRefused(latin, 400, "validation_failed");
        assertTrue(latin.body().at("/fields/0/reason").asText().contains("UTF-8"), latin.body().toString());
    }

    @Test
    void theCharsetParameterIsHonoured() throws Exception {
        Answer a = post("text/csv; charset=ISO-8859-1", "name\nJos\u00e9\n".getBytes(Charset.forName("ISO-8859-1")));
        assertEquals(201, a.status(), a.body().toString());
        assertEquals("Jos\u00e9", db.scalar("SELECT name FROM crm_customer WHERE id = ?", a.body().at("/ids/0").asLong()));
    }
}
